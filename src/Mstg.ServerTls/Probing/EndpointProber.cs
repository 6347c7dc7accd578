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
        private readonly List<string> _incomplete = [];

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

            var protocolTasks = TlsCatalog.Versions.Select(v => accepted.Contains(v)
                ? EnumerateAsync(v, byVersion[v], ct)
                : Task.FromResult(new ProtocolResult { Version = v, Accepted = false, Refusal = Refusal(v, byVersion[v]) })).ToList();
            var protocols = await Task.WhenAll(protocolTasks).ConfigureAwait(false);
            var groupsTask = GroupsAsync(protocols, ct);
            var legacyBest = accepted.Where(v => v <= TlsCatalog.Tls12).Cast<ushort?>().LastOrDefault();
            var alpnTask = legacyBest is { } lb ? AlpnAsync(lb, protocols.First(p => p.Version == lb), ct) : Task.FromResult<string?>(null);
            ChainReport? chain = null;
            string? alpn;
            if (legacyBest is { } best && byVersion[best].Certificates.Count > 0)
            {
                var flight = byVersion[best];
                var served = flight.Certificates.Select(TryLoad).Where(c => c is not null).Cast<X509Certificate2>().ToList();
                if (served.Count > 0)
                    chain = ChainInspector.Inspect(served, endpoint.Name, options, $"{TlsNames.Version(best)} handshake", flight.OcspStapled,
                        flight.SctInExtension);
                else _incomplete.Add("certificate: the served certificates could not be decoded");
                alpn = await alpnTask.ConfigureAwait(false);
            }
            else
            {
                (chain, alpn) = await RealHandshakeAsync(ct).ConfigureAwait(false);
                if (legacyBest is not null) alpn = await alpnTask.ConfigureAwait(false) ?? alpn;
            }
            var groups = await groupsTask.ConfigureAwait(false);
            return Report(ProbeStatus.Probed, null) with { Protocols = protocols, Groups = groups, Alpn = alpn, Chain = chain };
        }

        private EndpointReport Report(ProbeStatus status, string? problem) =>
            new() { Endpoint = endpoint, Status = status, Problem = problem, Incomplete = _incomplete };

        private static string Refusal(ushort version, ServerFlight f) =>
            f.Outcome == FlightOutcome.Hello ? $"answered with {TlsNames.Version(f.Version ?? 0)}" : f.ToString();

        private async Task<ServerFlight> OfferAsync(ushort version, IReadOnlyList<ushort> suites, CancellationToken ct,
            IReadOnlyList<ushort>? groups = null, IReadOnlyList<ushort>? keyShares = null, IReadOnlyList<string>? alpn = null)
        {
            var spec = new HelloSpec
            {
                Version = version, CipherSuites = suites, ServerName = SniName(),
                Groups = groups ?? TlsCatalog.AllGroups, KeyShares = keyShares ?? [TlsCatalog.X25519], Alpn = alpn ?? [],
            };
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                using var client = await connector.ConnectAsync(endpoint.Port, ct).ConfigureAwait(false);
                return await ServerFlightReader.ExchangeAsync(client.GetStream(), RawClientHello.Build(spec), options.Flight, ct).ConfigureAwait(false);
            }
            finally { _gate.Release(); }
        }

        // SNI carries DNS names only (RFC 6066 3).
        private string? SniName() => System.Net.IPAddress.TryParse(endpoint.Name, out _) ? null : endpoint.Name;

        /// <summary>Offer everything, remove what the server chose, offer the rest, until it refuses.</summary>
        private async Task<ProtocolResult> EnumerateAsync(ushort version, ServerFlight first, CancellationToken ct)
        {
            var remaining = TlsCatalog.SuitesFor(version).ToList();
            var found = new List<ushort>();
            var flight = first;
            while (flight.Accepted(version) && flight.CipherSuite is { } chosen && remaining.Remove(chosen))
            {
                found.Add(chosen);
                if (remaining.Count == 0) break;
                flight = await OfferAsync(version, remaining, ct).ConfigureAwait(false);
            }
            if (flight.Outcome is FlightOutcome.TimedOut or FlightOutcome.Malformed or FlightOutcome.TooLarge)
                _incomplete.Add($"{TlsNames.Version(version)} suites: enumeration stopped early ({flight})");

            bool? serverPreference = null;
            if (found.Count >= 2)
            {
                // Offer the accepted suites in two opposite orders: a server that keeps its pick has its own order.
                var forward = await OfferAsync(version, found, ct).ConfigureAwait(false);
                var reversed = await OfferAsync(version, found.AsEnumerable().Reverse().ToList(), ct).ConfigureAwait(false);
                if (forward.Accepted(version) && reversed.Accepted(version)) serverPreference = forward.CipherSuite == reversed.CipherSuite;
            }
            return new ProtocolResult { Version = version, Accepted = true, Suites = found.Select(s => new CipherSuiteInfo(s)).ToList(), ServerPreference = serverPreference };
        }

        /// <summary>TLS 1.3: one group at a time with no key share, so a server that accepts it asks for it (HelloRetryRequest).
        /// TLS ≤ 1.2 only: one curve at a time with the accepted ECDHE suites, read from the ServerKeyExchange.</summary>
        private async Task<IReadOnlyList<string>> GroupsAsync(IReadOnlyList<ProtocolResult> protocols, CancellationToken ct)
        {
            var curves = TlsCatalog.AllGroups;
            var tls13 = protocols.FirstOrDefault(p => p.Version == TlsCatalog.Tls13 && p.Accepted);
            if (tls13 is not null)
            {
                var results = await Task.WhenAll(curves.Select(async g =>
                {
                    var f = await OfferAsync(TlsCatalog.Tls13, TlsCatalog.Tls13Suites, ct, groups: [g], keyShares: []).ConfigureAwait(false);
                    return f.Accepted(TlsCatalog.Tls13) && f.Group == g ? g : (ushort?)null;
                })).ConfigureAwait(false);
                return results.Where(g => g is not null).Select(g => TlsCatalog.GroupName(g!.Value)).ToList();
            }
            var legacy = protocols.Where(p => p.Accepted && p.Version <= TlsCatalog.Tls12).LastOrDefault();
            var ecdhe = legacy?.Suites.Where(s => s.Name.Contains("_ECDHE_", StringComparison.Ordinal)).Select(s => s.Value).ToList();
            if (legacy is null || ecdhe is not { Count: > 0 })
            {
                var dhe = legacy?.Suites.FirstOrDefault(s => s.Name.Contains("_DHE_", StringComparison.Ordinal));
                if (dhe is null) return [];
                var f = await OfferAsync(legacy!.Version, [dhe.Value], ct).ConfigureAwait(false);
                return f.DhBits is { } bits ? [$"DH {bits}"] : [];
            }
            var found = await Task.WhenAll(curves.Where(g => g < 0x0100).Select(async g =>
            {
                var f = await OfferAsync(legacy.Version, ecdhe, ct, groups: [g]).ConfigureAwait(false);
                return f.Accepted(legacy.Version) && f.Group == g ? g : (ushort?)null;
            })).ConfigureAwait(false);
            return found.Where(g => g is not null).Select(g => TlsCatalog.GroupName(g!.Value)).ToList();
        }

        private async Task<string?> AlpnAsync(ushort version, ProtocolResult protocol, CancellationToken ct)
        {
            var f = await OfferAsync(version, protocol.Suites.Select(s => s.Value).ToList(), ct, alpn: options.Alpn).ConfigureAwait(false);
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
                if (leaf is null) { _incomplete.Add("certificate: the TLS 1.3 handshake completed without a certificate"); return (null, alpn); }
                var served = new List<X509Certificate2> { leaf };
                served.AddRange(extras.Where(e => e.Thumbprint != leaf.Thumbprint));
                return (ChainInspector.Inspect(served, endpoint.Name, options, "TLS1.3 handshake", ocspStapled: null, sctInHandshake: false), alpn);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                _incomplete.Add($"certificate: the TLS 1.3 handshake that reads it failed ({e.Message})");
                return (null, null);
            }
            finally { _gate.Release(); }
        }

        private X509Certificate2? TryLoad(byte[] der)
        {
            try { return X509CertificateLoader.LoadCertificate(der); }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                _incomplete.Add($"certificate: one served certificate does not decode ({e.Message})");
                return null;
            }
        }
    }
}
