using Mstg.Analysis.Binary.Urls;
using Mstg.Analysis.Binary;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Tests.Binary;

/// <summary>BIN-LOCAL-URL is worded by deployment target: from iOS 17 ATS covers public IP addresses (docs/rules.md).</summary>
public class LocalUrlWordingTests
{
    private static BundleTarget Ios(string? minimum) => new()
    {
        Platform = TargetPlatform.iOS,
        MinimumOs = minimum is null ? null : Version.Parse(minimum),
        MinimumOsSource = minimum is null ? "no deployment target found" : $"MinimumOSVersion = \"{minimum}\"",
    };

    /// <summary>URL, deployment target, expected phrase (null: no finding, ATS protects the host on every supported version).</summary>
    public static TheoryData<string, string?, string?> Cases => new()
    {
        { "http://93.184.216.34/api", "16.0", "only from iOS 17" },
        { "http://93.184.216.34/api", null, "deployment target is unknown" },
        { "http://93.184.216.34/api", "17.0", null },
        { "https://[2606:2800:220:1::1]/", "18.0", null },
        { "http://192.168.1.10/", "17.0", "on any OS version" },
        { "http://10.0.0.2/", "12.0", "on any OS version" },
        { "http://127.0.0.1:8080/", "18.0", "on any OS version" },
        { "http://[fe80::1]/", "18.0", "on any OS version" },
        { "http://printer.local/", "18.0", "on any OS version" },
        { "http://intranet/", "18.0", "on any OS version" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wording_follows_the_deployment_target(string text, string? minimum, string? phrase)
    {
        var url = UrlExtractor.Extract(text).Single();
        url.LocalReason.Should().NotBeNull();
        var message = CleartextUrlRule.LocalUrlMessage(url, url.LocalReason!, Ios(minimum));
        if (phrase is null) message.Should().BeNull();
        else message.Should().Contain(phrase);
    }
}
