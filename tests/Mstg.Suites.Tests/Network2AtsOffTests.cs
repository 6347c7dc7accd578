namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 8, MSTG-NETWORK-2 with ATS switched off: "ATS exceptions keep TLS 1.2 and forward secrecy" must fail when ATS
/// is not in effect (no TLS floor, no forward-secrecy requirement), and must not fail for what leaves TLS alone. One suite
/// run over plists of our own, each case in its own folder; the reason for each expectation is written beside it.
/// </summary>
public sealed class Network2AtsOffTests : IClassFixture<Network2AtsOffTests.Cases>
{
    // The ATS rows of the one static theory under each requirement.
    private const string N2 = "MSTG-NETWORK-2/Ats", N1 = "MSTG-NETWORK-1/Ats", N3 = "MSTG-NETWORK-3/Ats";

    // Case folder → (MinimumOSVersion, DTSDKName, NSAppTransportSecurity body or null, N2 result, N1 result, N3 result, texts the N2 message must name).
    public static TheoryData<string, string, string, string?, string, string, string, string[]> Rows => new()
    {
        // ATS off for every host without an exception entry: no TLS 1.2 floor, no forward secrecy (Apple, NSAllowsArbitraryLoads).
        { "c01-arbitrary-loads", "15.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoads</key><true/>", "Fail", "Fail", "Pass", ["[weak-tls]", "ATS-ARBITRARY-LOADS"] },
        // ATS off for WKWebView content: weak TLS allowed there.
        { "c02-web-content", "15.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoadsInWebContent</key><true/>", "Fail", "Fail", "Pass", ["ATS-ARBITRARY-LOADS-WEB-CONTENT"] },
        // "All App Transport Security restrictions are disabled" for AV Foundation media, the TLS version included.
        { "c03-media", "15.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoadsForMedia</key><true/>", "Fail", "Fail", "Pass", ["ATS-ARBITRARY-LOADS-MEDIA"] },
        // Linked against the iOS 8 SDK: no ATS at all on any OS (Apple; MASTG-TEST-0067).
        { "c04-old-sdk", "8.0", "iphoneos8.4", null, "Fail", "Fail", "Fail", ["ATS-DISABLED-OLD-SDK"] },
        // NSAllowsArbitraryLoads ignored from iOS 10 (a finer key is present), but the app supports iOS 9 where it still holds.
        { "c05-ignored-but-ios9", "9.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsArbitraryLoadsInWebContent</key><false/>", "Fail", "Fail", "Pass", ["ATS-ARBITRARY-LOADS-IGNORED"] },
        // Must not fail: the same key is dead on every supported OS (iOS 15), ATS keeps its floor. A warning at most.
        { "c06-ignored-dead-key", "15.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoads</key><true/><key>NSAllowsLocalNetworking</key><true/>", "Pass", "Pass", "Pass", [] },
        // Must not fail: local networking is a warning (LAN hosts only), under both requirements.
        { "c07-local-networking", "15.0", "iphoneos17.0", "<key>NSAllowsLocalNetworking</key><true/>", "Pass", "Pass", "Pass", [] },
        // Must not fail MSTG-NETWORK-2: Apple, NSExceptionAllowsInsecureHTTPLoads "doesn't change the TLS or forward secrecy
        // requirements imposed by ATS"; it is a cleartext finding (MSTG-NETWORK-1) only.
        { "c08-cleartext-domain", "15.0", "iphoneos17.0",
          "<key>NSExceptionDomains</key><dict><key>api.example.com</key><dict><key>NSExceptionAllowsInsecureHTTPLoads</key><true/></dict></dict>", "Pass", "Fail", "Pass", [] },
        // Must not fail: default ATS, and the key set to NO.
        { "c09-default-ats", "15.0", "iphoneos17.0", null, "Pass", "Pass", "Pass", [] },
        { "c10-arbitrary-loads-no", "15.0", "iphoneos17.0", "<key>NSAllowsArbitraryLoads</key><false/>", "Pass", "Pass", "Pass", [] },
    };

    public sealed class Cases
    {
        public Cases()
        {
            // Short paths: xUnit shortens long theory arguments in test names, and the app path is how a result is found.
            var root = Directory.CreateTempSubdirectory("n2-").FullName;
            var apps = new List<string>();
            foreach (var row in Rows)
            {
                var (name, minimumOs, sdk, ats) = (row.Data.Item1, row.Data.Item2, row.Data.Item3, row.Data.Item4);
                var dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
                var path = Path.Combine(dir, "Info.plist");
                File.WriteAllText(path, $"""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                    <plist version="1.0"><dict>
                    <key>CFBundleIdentifier</key><string>com.example.{name}</string>
                    <key>CFBundleExecutable</key><string>App</string>
                    <key>CFBundlePackageType</key><string>APPL</string>
                    <key>DTPlatformName</key><string>iphoneos</string>
                    <key>DTSDKName</key><string>{sdk}</string>
                    <key>MinimumOSVersion</key><string>{minimumOs}</string>
                    {(ats is null ? "" : $"<key>NSAppTransportSecurity</key><dict>{ats}</dict>")}
                    </dict></plist>
                    """);
                apps.Add(path);
            }
            Run = SuiteRun.Start(string.Join(";", apps), "L2", traits:
                ["Requirement=MSTG-NETWORK-1", "Requirement=MSTG-NETWORK-2", "Requirement=MSTG-NETWORK-3"]);
        }

        public SuiteRun Run { get; }
    }

    private readonly SuiteRun _run;
    public Network2AtsOffTests(Cases cases) => _run = cases.Run;

    [Theory]
    [MemberData(nameof(Rows))]
    public void Ats_switched_off_fails_the_tls_settings_test(string name, string _, string __, string? ___, string n2, string n1, string n3, string[] mustName)
    {
        var tls = _run.Single(name, N2);
        tls.Result.Should().Be(n2, "{0}: {1}", name, tls.Message);
        foreach (var text in mustName) tls.Message.Should().Contain(text);
        _run.Single(name, N1).Result.Should().Be(n1, "{0} under MSTG-NETWORK-1: {1}", name, _run.Single(name, N1).Message);
        _run.Single(name, N3).Result.Should().Be(n3, "{0} under MSTG-NETWORK-3: {1}", name, _run.Single(name, N3).Message);
    }
}
