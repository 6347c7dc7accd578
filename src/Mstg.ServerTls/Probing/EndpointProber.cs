using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mstg.Tls;
using Mstg.Tls.Raw;

namespace Mstg.ServerTls.Probing;

/// <summary>
/// Probes one endpoint with raw ClientHellos, so what is found is what the server accepts, whatever the local
/// OpenSSL would allow: each version with every suite IANA lists, then the accepted suites one by one (offer all,
/// remove the one chosen, offer again, as sslyze and testssl.sh do), the server's preference, the key-exchange
/// groups, ALPN and the certificate chain. Only a TLS 1.3-only server's chain needs a real handshake (SslStream).
/// </summary>
public sealed class EndpointProber(ProbeOptions options)
{
    public async Task<EndpointReport> ProbeAsync(Endpoint endpoint, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        Connector connector;
        try
        {
            connector = new Connector(await Connector.ResolveAsync(endpoint, options, ct).ConfigureAwait(false), options);
        }
        catch (ConnectFailedException e)
        {
            return new EndpointReport { Endpoint = endpoint, Status = e.Status, Problem = e.Message, Elapsed = clock.Elapsed };
        }
        var session = new Session(endpoint, connector, options);
        try
        {
            var report = await session.RunAsync(ct).ConfigureAwait(false);
            return report with { Address = connector.Address.ToString(), Elapsed = clock.Elapsed, Connections = connector.Connections };
        }
        catch (ConnectFailedException e)
        {
            return new EndpointReport { Endpoint = endpoint, Status = e.Status, Problem = e.Message, Address = connector.Address.ToString(), Elapsed = clock.Elapsed, Connections = connector.Connections };
        }
    }

    private sealed class Session(Endpoint endpoint, Connector connector, ProbeOptions options)
    {
        private readonly SemaphoreSlim _gate = new(Math.Max(1, options.ConnectionsPerEndpoint));
        private readonly List<string> _incomplete = []; // written by parallel probes: lock it

        public async Task<EndpointReport> RunAsync(CancellationToken ct)
        {
            // One hello per version, all at once: this is also the reachability test.
            var first = await Task.WhenAll(TlsCatalog.Versions.Select(v => OfferAsync(v, TlsCatalog.SuitesFor(v), ct))).ConfigureAwait(false);
            var byVersion = TlsCatalog.Versions.Zip(first).ToDictionary(p => p.First, p => p.Second);
            if (first.FirstOrDefault(f => f.Outcome == FlightOutcome.NotTls) is { } notTls)
                return Report(ProbeStatus.NotTls, notTls.Problem);
            var accepted = TlsCatalog.Versions.Where(v => byVersion[v].Accepted(v)).ToList();
            if (accepted.Count == 0)
            {
                var broken = first.FirstOrDefault(f => f.Outcome is FlightOutcome.Malformed or FlightOutcome.TooLarge or FlightOutcome.TimedOut);
                return broken is not null
                    ? Report(ProbeStatus.Broken, $"{broken.Outcome}: {broken.Problem}")
                    : Report(ProbeStatus.NoTlsAccepted, $"every ClientHello was refused ({string.Join(", ", first.Select(f => f.ToString()).Distinct())})");
            }

            // Everything that only needs to know which versions are accepted runs at once: suites per version, groups, ALPN, the chain.
            var protocolTasks = TlsCatalog.Versions.Select(v => accepted.Contains(v)
                ? EnumerateAsync(v, ct)
                : Task.FromResult(new ProtocolResult { Version = v, Accepted = false, Refusal = Refusal(v, byVersion[v]) })).ToList();
            var groupsTask = GroupsAsync(accepted, ct);
            var legacyBest = accepted.Where(v => v <= TlsCatalog.Tls12).Cast<ushort?>().LastOrDefault();
            var alpnTask = legacyBest is { } lb ? AlpnAsync(lb, ct) : Task.FromResult<string?>(null);
            ChainReport? chain = null;
            string? alpn;
            if (legacyBest is { } best && byVersion[best].Certificates.Count > 0)
            {
                var flight = byVersion[best];
                var served = flight.Certificates.Select(TryLoad).Where(c => c is not null).Cast<X509Certificate2>().ToList();
                if (served.Count > 0)
                    chain = ChainInspector.Inspect(served, endpoint.Name, options, $"{TlsNames.Version(best)} handshake", flight.OcspStapled,
                        flight.SctInExtension);
                else lock (_incomplete) _incomplete.Add("certificate: the served certificates could not be decoded");
                alpn = await alpnTask.ConfigureAwait(false);
            }
            else
            {
                (chain, alpn) = await RealHandshakeAsync(ct).ConfigureAwait(false);
                if (legacyBest is not null) alpn = await alpnTask.ConfigureAwait(false) ?? alpn;
            }
            var protocols = await Task.WhenAll(protocolTasks).ConfigureAwait(false);
            var groups = await groupsTask.ConfigureAwait(false);
            return Report(ProbeStatus.Probed, null) with { Protocols = protocols, Groups = groups, Alpn = alpn, Chain = chain };
        }

        private EndpointReport Report(ProbeStatus status, string? problem) =>
            new() { Endpoint = endpoint, Status = status, Problem = problem, Incomplete = _incomplete.ToList() };

        private static string Refusal(ushort version, ServerFlight f) =>
            f.Outcome == FlightOutcome.Hello ? $"answered with {TlsNames.Version(f.Version ?? 0)}" : f.ToString();

        /// <remarks>TLS 1.3 hellos carry no key share: the server answers with a HelloRetryRequest, which names the suite it
        /// chose and costs it no key exchange and no signature, so enumerating TLS 1.3 is cheap for both sides.</remarks>
        private async Task<ServerFlight> OfferAsync(ushort version, IReadOnlyList<ushort> suites, CancellationToken ct,
            IReadOnlyList<ushort>? groups = null, IReadOnlyList<ushort>? keyShares = null, IReadOnlyList<string>? alpn = null)
        {
            var spec = new HelloSpec
            {
                Version = version, CipherSuites = suites, ServerName = SniName(),
                Groups = groups ?? TlsCatalog.AllGroups, KeyShares = keyShares ?? [], Alpn = alpn ?? [],
            };
            var hello = RawClientHello.Build(spec);
            for (var attempt = 0; ; attempt++)
            {
                ServerFlight flight;
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    using var client = await connector.ConnectAsync(endpoint.Port, ct).ConfigureAwait(false);
                    flight = await ServerFlightReader.ExchangeAsync(client.GetStream(), hello, options.Flight, ct).ConfigureAwait(false);
                }
                finally { _gate.Release(); }
                // A reset may be load, not an answer: try again a bounded number of times; a server that always resets still ends.
                if (!flight.WasReset || attempt >= options.Retries) return flight;
            }
        }

        // SNI carries DNS names only (RFC 6066 3).
        private string? SniName() => System.Net.IPAddress.TryParse(endpoint.Name, out _) ? null : endpoint.Name;

        /// <summary>Number of slices the suite catalogue is cut into, each enumerated on its own connection chain.</summary>
        private const int Slices = 8;

        /// <summary>
        /// Offer a slice of the catalogue, remove what the server chose, offer the rest, until it refuses. The slices run
        /// in parallel (the accepted set is their union), so a server with thirty suites costs eight round trips, not thirty;
        /// the server's order is then read by <see cref="PreferenceAsync"/>.
        /// </summary>
        private async Task<ProtocolResult> EnumerateAsync(ushort version, CancellationToken ct)
        {
            var catalogue = TlsCatalog.SuitesFor(version);
            var slices = version == TlsCatalog.Tls13 ? [catalogue.ToList()]
                : Enumerable.Range(0, Slices).Select(i => catalogue.Where((_, j) => j % Slices == i).ToList()).ToList();
            var found = (await Task.WhenAll(slices.Select(slice => EnumerateSliceAsync(version, slice, ct))).ConfigureAwait(false)).SelectMany(f => f).ToList();
            var (preference, order) = await PreferenceAsync(version, found, ct).ConfigureAwait(false);
            return new ProtocolResult { Version = version, Accepted = true, Suites = order.Select(s => new CipherSuiteInfo(s)).ToList(), ServerPreference = preference };
        }

        private async Task<List<ushort>> EnumerateSliceAsync(ushort version, List<ushort> remaining, CancellationToken ct)
        {
            var found = new List<ushort>();
            while (remaining.Count > 0)
            {
                var flight = await OfferAsync(version, remaining, ct).ConfigureAwait(false);
                if (!flight.Accepted(version) || flight.CipherSuite is not { } chosen || !remaining.Remove(chosen))
                {
                    if (flight.Outcome is FlightOutcome.TimedOut or FlightOutcome.Malformed or FlightOutcome.TooLarge)
                        lock (_incomplete) _incomplete.Add($"{TlsNames.Version(version)} suites: enumeration stopped early ({flight})");
                    break;
                }
                found.Add(chosen);
            }
            return found;
        }

        /// <summary>
        /// Offers the accepted suites in two opposite orders: a server that keeps its pick has its own order, which is then
        /// read by offering what is left after each pick. A client-order server's list stays in catalogue order.
        /// </summary>
        private async Task<(bool?, List<ushort>)> PreferenceAsync(ushort version, List<ushort> found, CancellationToken ct)
        {
            found.Sort();
            if (found.Count < 2) return (null, found);
            var forward = OfferAsync(version, found, ct);
            var reversed = OfferAsync(version, found.AsEnumerable().Reverse().ToList(), ct);
            var (f, r) = (await forward.ConfigureAwait(false), await reversed.ConfigureAwait(false));
            if (!f.Accepted(version) || !r.Accepted(version)) return (null, found);
            if (f.CipherSuite != r.CipherSuite) return (false, found);
            var order = new List<ushort> { f.CipherSuite!.Value };
            var rest = found.Where(s => s != f.CipherSuite).ToList();
            while (rest.Count > 1)
            {
                var next = await OfferAsync(version, rest, ct).ConfigureAwait(false);
                if (!next.Accepted(version) || next.CipherSuite is not { } pick || !rest.Remove(pick)) break;
                order.Add(pick);
            }
            order.AddRange(rest);
            return (true, order);
        }

        /// <summary>Groups TLS 1.3 may use (RFC 8446 4.2.7): the legacy curves are not allowed there.</summary>
        private static readonly ushort[] Tls13Groups = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];

        /// <summary>TLS 1.3: one group at a time with no key share, so a server that accepts it asks for it (HelloRetryRequest).
        /// TLS ≤ 1.2 only: one curve at a time with every ECDHE suite, read from the ServerKeyExchange (DHE: the prime's size).</summary>
        private async Task<IReadOnlyList<string>> GroupsAsync(IReadOnlyList<ushort> accepted, CancellationToken ct)
        {
            if (accepted.Contains(TlsCatalog.Tls13))
            {
                var results = await Task.WhenAll(Tls13Groups.Select(async g =>
                {
                    var f = await OfferAsync(TlsCatalog.Tls13, TlsCatalog.Tls13Suites, ct, groups: [g], keyShares: []).ConfigureAwait(false);
                    return f.Accepted(TlsCatalog.Tls13) && f.Group == g ? g : (ushort?)null;
                })).ConfigureAwait(false);
                return results.Where(g => g is not null).Select(g => TlsCatalog.GroupName(g!.Value)).ToList();
            }
            var version = accepted.Where(v => v <= TlsCatalog.Tls12).Max();
            var ecdhe = TlsCatalog.LegacySuites.Where(s => TlsNames.CipherSuite(s).Contains("_ECDHE_", StringComparison.Ordinal)).ToList();
            var found = await Task.WhenAll(TlsCatalog.AllGroups.Where(g => g < 0x0100).Select(async g =>
            {
                var f = await OfferAsync(version, ecdhe, ct, groups: [g]).ConfigureAwait(false);
                return f.Accepted(version) && f.Group == g ? g : (ushort?)null;
            })).ConfigureAwait(false);
            var groups = found.Where(g => g is not null).Select(g => TlsCatalog.GroupName(g!.Value)).ToList();
            var dhe = TlsCatalog.LegacySuites.Where(s => TlsNames.CipherSuite(s).Contains("_DHE_", StringComparison.Ordinal)).ToList();
            var dh = await OfferAsync(version, dhe, ct).ConfigureAwait(false);
            if (dh.Accepted(version) && dh.DhBits is { } bits) groups.Add($"DH {bits}");
            return groups;
        }

        private async Task<string?> AlpnAsync(ushort version, CancellationToken ct)
        {
            var f = await OfferAsync(version, TlsCatalog.SuitesFor(version), ct, alpn: options.Alpn).ConfigureAwait(false);
            return f.Accepted(version) ? f.Alpn : null;
        }

        /// <summary>A TLS 1.3-only server encrypts its certificate: complete a real handshake and keep what the validation callback sees.</summary>
        private async Task<(ChainReport?, string?)> RealHandshakeAsync(CancellationToken ct)
        {
            X509Certificate2? leaf = null;
            var extras = new List<X509Certificate2>();
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                using var client = await connector.ConnectAsync(endpoint.Port, ct).ConfigureAwait(false);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(options.Flight.Timeout);
                await using var ssl = new SslStream(client.GetStream(), false, (_, cert, chain, _) =>
                {
                    if (cert is not null) leaf = new X509Certificate2(cert);
                    if (chain is not null) extras.AddRange(chain.ChainPolicy.ExtraStore.Select(c => new X509Certificate2(c)));
                    return true; // capture only; the verdict is ours
                });
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = SniName() ?? "",
                    EnabledSslProtocols = SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    ApplicationProtocols = options.Alpn.Select(p => new SslApplicationProtocol(p)).ToList(),
                }, deadline.Token).ConfigureAwait(false);
                var alpn = ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : ssl.NegotiatedApplicationProtocol.ToString();
                if (leaf is null) { lock (_incomplete) _incomplete.Add("certificate: the TLS 1.3 handshake completed without a certificate"); return (null, alpn); }
                var served = new List<X509Certificate2> { leaf };
                served.AddRange(extras.Where(e => e.Thumbprint != leaf.Thumbprint));
                return (ChainInspector.Inspect(served, endpoint.Name, options, "TLS1.3 handshake", ocspStapled: null, sctInHandshake: false), alpn);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or System.ComponentModel.Win32Exception
                or System.Security.Cryptography.CryptographicException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                lock (_incomplete) _incomplete.Add($"certificate: the TLS 1.3 handshake that reads it failed ({e.Message})");
                return (null, null);
            }
            finally { _gate.Release(); }
        }

        private X509Certificate2? TryLoad(byte[] der)
        {
            try { return X509CertificateLoader.LoadCertificate(der); }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                lock (_incomplete) _incomplete.Add($"certificate: one served certificate does not decode ({e.Message})");
                return null;
            }
        }
    }
}
