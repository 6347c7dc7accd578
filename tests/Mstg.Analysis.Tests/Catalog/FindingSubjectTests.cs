namespace Mstg.Analysis.Tests.Catalog;

/// <summary>One finding model for every kind of check: static shorthands, dynamic and server subjects, stable text and SARIF locations.</summary>
public class FindingSubjectTests
{
    private static Finding Static(string location = "Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads") => new()
    {
        RuleId = RuleCatalog.AtsArbitraryLoads, Verdict = Verdict.Fail, Severity = Severity.High, Message = "ATS is off.",
        Bundle = "Payload/App.app", Location = location, Domain = "example.com",
    };

    [Fact]
    public void Static_shorthands_build_a_bundle_subject_and_with_line_edits_it()
    {
        var f = Static() with { Line = 12 };
        f.Subject.Should().Be(new BundleSubject("Payload/App.app", "Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads") { Line = 12 });
        f.Kind.Should().Be(CheckKind.Static);
        f.Bundle.Should().Be("Payload/App.app");
        f.Line.Should().Be(12);
        // The one-line form is the one every static message used before subjects existed.
        f.ToString().Should().Be("FAIL ATS-ARBITRARY-LOADS [Payload/App.app] Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads (example.com): ATS is off.");
        f.Subject.SarifLocation.Should().Be(new SubjectSarifLocation("Payload/App.app/Info.plist", 12, "Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads", null));
    }

    [Theory]
    [InlineData("Info.plist:NSAppTransportSecurity", "Payload/App.app/Info.plist")]
    [InlineData("App[arm64]:__TEXT,__cstring+0x1c0", "Payload/App.app/App")]
    [InlineData("Payload/App.app/PlugIns/Share.appex/Info.plist:NSAppTransportSecurity", "Payload/App.app/PlugIns/Share.appex/Info.plist")]
    [InlineData("Payload/App.app/Frameworks/AFNetworking.framework/AFNetworking", "Payload/App.app/Frameworks/AFNetworking.framework/AFNetworking")]
    public void Static_sarif_location_is_the_file_inside_the_package(string location, string path)
    {
        var where = Static(location).Subject.SarifLocation;
        where.ArtifactUri.Should().Be(path);
        where.StartLine.Should().Be(1, "a binary or a binary plist has no line: SARIF points at the file's start");
        where.IsPackagePath.Should().BeTrue();
    }

    [Fact]
    public void Dynamic_finding_names_host_and_condition()
    {
        var f = new Finding
        {
            RuleId = RuleCatalog.DynAcceptsInvalidCert, Verdict = Verdict.Fail, Severity = Severity.Critical,
            Message = "The app sent a request after accepting a certificate from an untrusted CA.",
            Subject = new HostConditionSubject("api.example.com", "untrusted-ca") { Port = 443 },
        };
        f.Kind.Should().Be(CheckKind.Dynamic);
        f.MstgId.Should().Be("MSTG-NETWORK-3");
        f.Domain.Should().Be("api.example.com", "a host subject names its domain");
        f.Bundle.Should().BeEmpty();
        f.Line.Should().BeNull();
        f.Location.Should().Be("condition untrusted-ca");
        f.ToString().Should().Be("FAIL DYN-ACCEPTS-INVALID-CERT api.example.com:443 under condition untrusted-ca: The app sent a request after accepting a certificate from an untrusted CA.");
        f.Subject.SarifLocation.Should().Be(new SubjectSarifLocation("https://api.example.com:443", null, "api.example.com:443/untrusted-ca", "resource"));
        f.Subject.SarifLocation.IsPackagePath.Should().BeFalse();
    }

    [Fact]
    public void Server_finding_names_the_endpoint_with_its_sni_and_brackets_ipv6()
    {
        var f = new Finding
        {
            RuleId = RuleCatalog.ServerTlsLegacyVersion, Verdict = Verdict.Fail, Severity = Severity.High, Message = "Accepts TLS 1.0.",
            Subject = new EndpointSubject("api.example.com", 443),
        };
        f.Kind.Should().Be(CheckKind.Server);
        f.ToString().Should().Be("FAIL SERVER-TLS-LEGACY-VERSION api.example.com:443: Accepts TLS 1.0.");
        new EndpointSubject("127.0.0.1", 8443) { Sni = "api.example.com" }.Display.Should().Be("127.0.0.1:8443 (SNI api.example.com)");
        new EndpointSubject("::1", 443).SarifLocation.ArtifactUri.Should().Be("https://[::1]:443");
        // A domain other than the host is still shown.
        (f with { Domain = "example.com" }).ToString().Should().Contain("api.example.com:443 (example.com):");
    }

    [Fact]
    public void Static_shorthands_on_another_subject_and_a_finding_without_subject_are_errors()
    {
        var server = new Finding
        {
            RuleId = RuleCatalog.ServerWeakKey, Verdict = Verdict.Fail, Severity = Severity.High, Message = "RSA 1024.",
            Subject = new EndpointSubject("api.example.com", 443),
        };
        var act = () => server with { Line = 3 };
        act.Should().Throw<InvalidOperationException>().WithMessage("*SERVER-WEAK-KEY*api.example.com:443*static findings only*");
        var none = new Finding { RuleId = RuleCatalog.ServerWeakKey, Verdict = Verdict.Fail, Severity = Severity.High, Message = "m" };
        var read = () => none.Subject;
        read.Should().Throw<InvalidOperationException>().WithMessage("*SERVER-WEAK-KEY has no subject*");
    }

    [Fact]
    public void Findings_with_the_same_subject_are_equal_and_others_are_not()
    {
        Static().Should().Be(Static());
        Static().Should().NotBe(Static("Info.plist:NSAppTransportSecurity"));
        var a = new HostConditionSubject("api.example.com", "expired");
        a.Should().Be(new HostConditionSubject("api.example.com", "expired")).And.NotBe(new HostConditionSubject("api.example.com", "self-signed"));
        a.Identity.Should().Be("api.example.com|condition expired");
    }
}
