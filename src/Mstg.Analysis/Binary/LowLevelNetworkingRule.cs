using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-LOW-LEVEL-NETWORKING (MASTG-TEST-0323): APIs that open connections outside the URL Loading System, where
/// ATS does not apply. Evidence comes from the imports and <c>LC_LOAD_DYLIB</c> commands, which FairPlay does not
/// encrypt, so this rule also works on encrypted binaries. One finding per API family.
/// </summary>
public sealed class LowLevelNetworkingRule : IBundleRule
{
    /// <summary>An API family and the imported symbols (C names, or substrings of Swift mangled names) that reveal it.</summary>
    internal sealed record ApiFamily(string Name, string Advice, IReadOnlyList<string> Symbols, IReadOnlyList<string> SwiftMarkers, string? Dylib);

    // Symbol lists follow MASTG-TEST-0323; CFStreamCreatePairWithSocketToHost and the NSStream/CFSocket
    // connect calls are our additions because they are the usual way CFNetwork sockets are opened.
    internal static readonly IReadOnlyList<ApiFamily> Families =
    [
        new("Network.framework",
            "check that NWParameters use .tls (not .tcp/.udp) and review the sec_protocol options",
            ["nw_connection_create", "nw_connection_start", "nw_parameters_create_secure_tcp", "nw_parameters_create_secure_udp",
             "nw_endpoint_create_host", "nw_listener_create", "nw_listener_create_with_port", "nw_connection_group_create"],
            ["7Network12NWConnection", "7Network10NWListener", "7Network12NWParameters", "7Network10NWEndpoint", "7Network13NWProtocolTLS",
             "7Network17NetworkConnection", "7Network15NetworkListener", "7Network14NetworkBrowser"],
            "Network"),
        new("CFNetwork streams and sockets",
            "check that kCFStreamPropertySSLSettings / NSStreamSocketSecurityLevel enable TLS with certificate validation",
            ["CFStreamCreatePairWithSocketToHost", "CFStreamCreatePairWithSocket", "CFStreamCreatePairWithPeerSocketSignature",
             "CFSocketCreate", "CFSocketCreateWithNative", "CFSocketConnectToAddress", "CFSocketCreateConnectedToSocketSignature",
             "CFReadStreamCreateForHTTPRequest", "CFReadStreamCreateForStreamedHTTPRequest", "CFHTTPMessageCreateRequest"],
            [], null),
        new("BSD sockets",
            "check that the connection is wrapped in TLS and which port/protocol it uses",
            ["socket", "connect", "bind", "listen", "accept", "send", "recv", "sendto", "recvfrom", "getaddrinfo"],
            [], null),
    ];

    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        if (view.Image is null)
        {
            if (view.Blocked) yield return view.Skipped(RuleCatalog.BinLowLevelNetworking, "The executable's imports");
            yield break;
        }

        var hits = 0;
        foreach (var family in Families)
        {
            var evidence = new List<string>();
            evidence.AddRange(family.Symbols.Where(view.ImportNames.Contains).Select(s => "import " + s));
            evidence.AddRange(view.ImportNames.Where(i => family.SwiftMarkers.Any(m => i.Contains(m, StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal).Select(s => "import " + s));
            var dylib = family.Dylib is null ? null : view.Image.Dylibs.FirstOrDefault(d => d.Name == family.Dylib);
            if (dylib is not null) evidence.Insert(0, $"{dylib.Kind.ToString().ToUpperInvariant()} dylib {dylib.Path}");
            if (evidence.Count == 0) continue;
            hits++;
            yield return RuleFindings.Create(context, RuleCatalog.BinLowLevelNetworking, Verdict.Warn,
                $"{view.ExecutableName} uses {family.Name}, which ATS does not cover: connections made with it get no cleartext or TLS-version " +
                $"protection from Info.plist. Review each use and {family.Advice}.",
                view.AtPart(dylib is not null && evidence.Count == 1 ? "LC_LOAD_DYLIB" : "imports"),
                RuleFindings.JoinEvidence(evidence));
        }
        if (hits == 0)
            yield return RuleFindings.Create(context, RuleCatalog.BinLowLevelNetworking, Verdict.Pass,
                $"{view.ExecutableName} imports none of the Network.framework, CFNetwork socket or BSD socket APIs listed by MASTG-TEST-0323.",
                view.FileLocation);
    }
}
