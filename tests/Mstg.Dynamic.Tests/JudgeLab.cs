using System.Text;
using Mstg.Analysis.Ats;
using Mstg.Dynamic.Prediction;
using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;
using Mstg.Plist;
using Mstg.Proxy;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Fixtures.Proxy;

namespace Mstg.Dynamic.Tests;

/// <summary>
/// Runs a real client through the proxy lab under one condition, takes the window of events the run made, and hands it to
/// the judge: every verdict in these tests comes from real handshakes, not from hand-written events.
/// </summary>
internal static class JudgeLab
{
    public static async Task<(DynamicJudgement Judgement, string Client)> RunAsync(ProxyLab lab, string probeId, Func<ProxyHost, Task<string>> client,
        Profile profile = Profile.L2, AtsPrediction? ats = null, RunCaTrust caTrust = RunCaTrust.Installed)
    {
        var probe = DynamicExpectations.Get(probeId);
        var proxy = await lab.ProxyFor(probe.Condition);
        var before = ProxyLab.LastId(proxy);
        var output = await client(proxy);
        try { await ProxyLab.NextConnectionAsync(proxy, before); }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}\nclient: {output}", e); }
        var window = Since(proxy, before);
        // The lab's clients that trust the run's CA are given it in their CA file: installed, as a driver does it.
        var judgement = DynamicJudge.Judge(new DynamicCase(probe, ProxyLab.Host, window, profile, ats, CaTrust: caTrust));
        TestContext.Current.SendDiagnosticMessage($"{probeId}: {judgement.Outcome} {judgement.Verdict.Describe()}\n{DynamicJudge.EvidenceText(judgement.Verdict)}");
        return (judgement, output);
    }

    public static Func<ProxyHost, Task<string>> Client(RealClient client, ProxyLab lab) =>
        async proxy => (await RealClients.RunAsync(client, lab, proxy)).Evidence;

    /// <summary>curl made to allow a legacy protocol: <c>--tlsvX --tls-max X</c> plus SECLEVEL 0, which OpenSSL 3 needs before it speaks TLS 1.0/1.1 at all.</summary>
    public static Func<ProxyHost, Task<string>> LegacyCurl(ProxyLab lab, string version, bool trustRunCa = true) => async proxy =>
        (await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://127.0.0.1:{proxy.Endpoint.Port}", "-H", "Connection: close",
            $"--tlsv{version}", "--tls-max", version, "--ciphers", "DEFAULT@SECLEVEL=0",
            "--cacert", trustRunCa ? lab.DeviceTrustPem(proxy) : lab.OriginCaPem, $"https://{ProxyLab.Host}/legacy"])).ToString();

    /// <summary>An ATS prediction from a real Info.plist read by the project's plist reader.</summary>
    public static AtsPrediction Ats(string atsDictXml, string host = ProxyLab.Host)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
            <key>CFBundleIdentifier</key><string>com.example.app</string>
            <key>DTPlatformName</key><string>iphoneos</string>
            <key>DTSDKName</key><string>iphoneos17.0</string>
            <key>NSAppTransportSecurity</key><dict>{atsDictXml}</dict>
            </dict></plist>
            """;
        var info = (PlistDict)PlistReader.Read(Encoding.UTF8.GetBytes(xml), "test Info.plist").Root;
        return AtsPrediction.From(AtsPolicy.Evaluate(info), host);
    }

    public static IReadOnlyList<ProxyEvent> Since(ProxyHost proxy, long before) => proxy.Events.Snapshot().Where(e => e.Id > before).ToList();
}
