using System.Text;
using Mstg.Allure.Categories;
using Mstg.Allure.Model;
using Mstg.Allure.Runtime;
using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Allure.SampleTests;

// Every outcome the Allure integration must record. Mstg.Allure.Tests runs this assembly and checks the files;
// the outcomes below are intended, which is why this project is kept out of the solution's test run.

public class Outcomes(ITestOutputHelper output)
{
    [Fact]
    [MstgRequirement("MSTG-NETWORK-1", story: "MASTG-TEST-0322", severity: "critical", tags: "static,L1")]
    public void Passes() => Assert.Equal(2, 1 + 1);

    [Fact]
    [MstgRule(Mstg.RuleCatalog.AtsArbitraryLoads, tags: "static")]
    public void FailsOnAssertion() =>
        Assert.Fail(MstgCategories.Tag(MstgCategories.Cleartext, "NSAllowsArbitraryLoads is true in Info.plist"));

    [Fact]
    [Trait("owner", "network-team")]
    [Trait("Category", "smoke")]
    public void BreaksOnOtherException() =>
        throw new InvalidOperationException(MstgCategories.Tag(MstgCategories.Environment, "Appium server did not answer"));

    [Fact(Skip = "needs a real device")]
    public void SkippedStatically() { }

    [Fact]
    public void SkippedAtRunTime() => Assert.Skip("[environment] no simulator booted");

    [Fact]
    public void WritesOutput()
    {
        output.WriteLine("first line of output");
        TestContext.Current.TestOutputHelper?.WriteLine("second line via TestContext");
    }

    [Fact(Timeout = 300)]
    public async Task TimesOut() => await Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
}

public class Theories
{
    [Theory]
    [InlineData("example.com", 443, 1111)]
    [InlineData("example.org", 8443, 2222)]
    public void Connects(string host, int port, [AllureParameter(Excluded = true)] int seed)
    {
        Assert.NotEmpty(host);
        Assert.True(port > 0 && seed > 0);
    }

    /// <summary>The seed changes from run to run (Mstg.Allure.Tests sets SAMPLE_SEED); history must not notice.</summary>
    public static TheoryData<string, int> SeededData =>
        new() { { "example.net", int.Parse(Environment.GetEnvironmentVariable("SAMPLE_SEED") ?? "1", System.Globalization.CultureInfo.InvariantCulture) } };

    [Theory]
    [MemberData(nameof(SeededData))]
    public void Seeded(string host, [AllureParameter(Excluded = true)] int seed) => Assert.True(host.Length > 0 && seed != 0);

    /// <summary>The same, but the seed counts: every run is a new history entry (the counter-proof).</summary>
    [Theory]
    [MemberData(nameof(SeededData))]
    public void SeededNotExcluded(string host, int seed) => Assert.True(host.Length > 0 && seed != 0);

    [Theory]
    [InlineData("s3cr3t")]
    public void UsesToken([AllureParameter(Mode = ParameterMode.Masked)] string token) => Assert.NotNull(token);
}

public class StepsAndAttachments
{
    [Fact]
    public async Task RecordsStepsAndAttachments()
    {
        using (AllureApi.Step("outer step").Parameter("domain", "api.example.com"))
        {
            AllureApi.AttachText("plain note", "hello from a step");
            await AllureApi.StepAsync("inner async step", async () =>
            {
                await Task.Yield();
                AllureApi.AttachJson("payload", "{\"ok\":true}");
            });
        }
        AllureApi.AttachPng("screenshot", Png1x1);
        AllureApi.AttachHar("traffic", "{\"log\":{\"version\":\"1.2\",\"entries\":[]}}");
        AllureApi.AttachPem("leaf certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        AllureApi.Label("layer", "integration");
        AllureApi.Link("ATS docs", "https://developer.apple.com/documentation/bundleresources/information-property-list/nsapptransportsecurity");
        AllureApi.Parameter("run seed", 12345, excluded: true);
    }

    [Fact]
    public void FailingStepMarksStepFailed()
    {
        AllureApi.Step("passing step", () => { });
        AllureApi.Step("failing step", () => Assert.Equal("TLSv1.3", "TLSv1.0"));
    }

    [Fact]
    public void OddAttachmentName() =>
        AllureApi.Attach("report: <weird>/name?*|\"ü 100%.txt", Encoding.UTF8.GetBytes("odd name content"), "text/plain", "t x/t?");

    [Fact]
    public void XunitAttachment() => TestContext.Current.AddAttachment("xunit-attachment", "attached through TestContext");

    // 1x1 transparent PNG.
    private static readonly byte[] Png1x1 = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
}

/// <summary>A class fixture that records its set-up and tear-down.</summary>
public sealed class ProxyFixture : IDisposable
{
    public ProxyFixture()
    {
        using (AllureApi.Fixture("start proxy"))
        {
            AllureApi.AttachText("proxy config", "listen 127.0.0.1:0");
        }
    }

    public void Dispose() => AllureApi.Fixture("stop proxy", () => { });
}

public class UsesFixture(ProxyFixture proxy) : IClassFixture<ProxyFixture>
{
    [Fact]
    public void FirstUser() => Assert.NotNull(proxy);

    [Fact]
    public void SecondUser() => Assert.NotNull(proxy);
}

/// <summary>A class fixture whose set-up throws: every test of the class must still get a (broken) result.</summary>
public sealed class BrokenDeviceFixture
{
    public BrokenDeviceFixture() =>
        AllureApi.Fixture("boot simulator", () => throw new InvalidOperationException("[environment] simulator is not available"));
}

public class UsesBrokenFixture(BrokenDeviceFixture device) : IClassFixture<BrokenDeviceFixture>
{
    [Fact]
    public void NeedsDevice() => Assert.NotNull(device);
}

/// <summary>Set-up in the constructor and tear-down in Dispose of the test class itself (per-test container).</summary>
public sealed class PerTestFixture : IDisposable
{
    public PerTestFixture() => AllureApi.Fixture("open session", () => { });

    [Fact]
    public void UsesSession() => Assert.True(true);

    public void Dispose() => AllureApi.Fixture("close session", () => { });
}

/// <summary>A collection fixture: its container's children are the tests of every class in the collection.</summary>
public sealed class SimulatorFixture : IDisposable
{
    public SimulatorFixture() => AllureApi.Fixture("boot shared simulator", () => AllureApi.Step("wait for springboard", () => { }));

    public void Dispose() => AllureApi.Fixture("shut down shared simulator", () => { });
}

[CollectionDefinition("simulator")]
public sealed class SimulatorCollection : ICollectionFixture<SimulatorFixture>;

[Collection("simulator")]
public class UsesCollectionFixture(SimulatorFixture simulator)
{
    [Fact]
    public void OnSharedSimulator() => Assert.NotNull(simulator);
}
