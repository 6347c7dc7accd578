using Mstg.Proxy.Certificates;

namespace Mstg.Suites.Tests;

/// <summary>
/// MSTG_PROXY_CA_CERT / MSTG_PROXY_CA_KEY: the run's proxy signs with a CA saved earlier (a device trusts it once instead
/// of every run), through the suite as a process against the reference target <c>client-default</c>, whose pinning case
/// accepts whatever the run's CA signs. A saved CA whose name constraints leave out the reference hosts changes that
/// answer, which shows the saved CA (not a fresh one) did the signing; half a pair is an environment error naming the other.
/// </summary>
public sealed class SavedCaTests
{
    private const string Host = "api.mstg-ref.test";

    private static (string Cert, string Key) SaveCa(string name, params string[] scope)
    {
        var dir = Directory.CreateTempSubdirectory("mstg-saved-ca-").FullName;
        using var ca = RunCertificateAuthority.Create($"MstgTests saved CA {name}", scope, lifetime: TimeSpan.FromDays(30));
        var cert = Path.Combine(dir, "ca.pem");
        File.WriteAllText(cert, ca.ExportCertificatePem());
        var key = Path.Combine(dir, "ca.key");
        ca.ExportPrivateKeyPem(key);
        return (cert, key);
    }

    private static SuiteRun RunPinningCase(IReadOnlyDictionary<string, string> ca)
    {
        var settings = new Dictionary<string, string>(ca)
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_DYNAMIC_TARGET"] = "reference:client-default",
            ["MSTG_FIRST_PARTY_HOSTS"] = Host,
        };
        return SuiteRun.Start(null, "L2", settings, filter: ["-method", "Mstg.Suites.Dynamic.DynamicRequirements.Network4_pinning"]);
    }

    [Fact]
    public void The_proxy_signs_with_the_saved_CA()
    {
        var (cert, key) = SaveCa("open");
        var open = RunPinningCase(new Dictionary<string, string> { ["MSTG_PROXY_CA_CERT"] = cert, ["MSTG_PROXY_CA_KEY"] = key });
        var accepted = open.Tests.Should().ContainSingle(open.Output).Subject;
        accepted.Result.Should().Be("Fail", open.Output);
        accepted.Message.Should().Contain("accepted", "the client trusts the run's CA (the saved one) and does not pin");

        // The same run with a saved CA constrained to other names: the client refuses its leaf for the reference host, so
        // the answer changes. A fresh CA would have given the same acceptance as above.
        var (otherCert, otherKey) = SaveCa("elsewhere", "*.elsewhere.test");
        var constrained = RunPinningCase(new Dictionary<string, string> { ["MSTG_PROXY_CA_CERT"] = otherCert, ["MSTG_PROXY_CA_KEY"] = otherKey });
        var refused = constrained.Tests.Should().ContainSingle(constrained.Output).Subject;
        refused.Result.Should().NotBe("Fail", constrained.Output);
        refused.Message.Should().NotContain("accepted", constrained.Output);
    }

    [Fact]
    public void A_certificate_without_its_key_is_an_environment_error_naming_the_key_setting()
    {
        var (cert, _) = SaveCa("half");
        var run = RunPinningCase(new Dictionary<string, string> { ["MSTG_PROXY_CA_CERT"] = cert });
        var broken = run.Tests.Should().ContainSingle(run.Output).Subject;
        broken.Result.Should().Be("Fail", run.Output);
        broken.Message.Should().Contain("[environment]").And.Contain("MSTG_PROXY_CA_KEY is required with MSTG_PROXY_CA_CERT");
    }
}
