using Mstg.Analysis.Binary;
using Mstg.Analysis.Channel;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Tests.Binary.Support;
using Mstg.Fixtures.Toolchain;

namespace Mstg.Analysis.Tests.Binary;

public class EncryptedBinaryTests
{
    private static readonly byte[] Plain = Clang.C(Clang.Prelude +
        "extern int socket(int,int,int);\n" +
        "int main(void){ puts(\"http://api.example.com/login\"); puts(\"URLSession:didReceiveChallenge:completionHandler:\"); return socket(2,1,0); }");

    private static readonly IBundleRule[] StringRules =
        [new CleartextUrlRule(), new TrustBypassRule(), new WeakTlsMinimumRule(), new EmbeddedTlsLibraryRule(), new LibraryRules(), new ChannelRules()];

    [Fact]
    public void Encrypted_binary_is_reported_and_blocked_rules_are_skipped_never_passed()
    {
        using var app = ScannedApp.WithExecutable(ClangToolchain.WithCryptId(Plain, 1));
        app.Main.Executable!.Primary!.IsEncrypted.Should().BeTrue();

        var encrypted = app.Run(new EncryptedBinaryRule()).Should().ContainSingle().Subject;
        encrypted.RuleId.Should().Be(RuleCatalog.BinEncrypted);
        encrypted.Verdict.Should().Be(Verdict.Warn);
        encrypted.Evidence.Should().Contain("cryptid=1");

        var findings = StringRules.SelectMany(r => app.Run(r)).ToList();
        findings.Should().NotContain(f => f.Verdict == Verdict.Pass);
        findings.Should().NotContain(f => f.RuleId == RuleCatalog.BinCleartextUrl && f.Verdict == Verdict.Warn,
            "the URL sits in the encrypted __cstring and must not be read as if it were plain text");
        var skipped = findings.Where(f => f.Verdict == Verdict.Skipped).ToList();
        skipped.Select(f => f.RuleId).Should().OnlyHaveUniqueItems().And.Contain(
        [
            RuleCatalog.BinCleartextUrl, RuleCatalog.BinLocalUrl, RuleCatalog.BinTrustBypass, RuleCatalog.BinWeakTlsMinimum,
            RuleCatalog.BinEmbeddedTlsLibrary, RuleCatalog.LibInventory, RuleCatalog.LibVulnerable, RuleCatalog.LibDeprecated, RuleCatalog.ChannelSmsEmail,
        ]);
        skipped.Should().OnlyContain(f => f.Message.Contains("FairPlay-encrypted") && f.Bundle == "Payload/App.app");
    }

    [Fact]
    public void Imports_stay_readable_in_an_encrypted_binary()
    {
        using var app = ScannedApp.WithExecutable(ClangToolchain.WithCryptId(Plain, 1));
        app.Run(new LowLevelNetworkingRule()).Should().ContainSingle()
            .Which.Should().Match<Finding>(f => f.Verdict == Verdict.Warn && f.Evidence!.Contains("import socket"));
    }

    [Fact]
    public void Unencrypted_binary_gets_no_encryption_finding_and_rules_run()
    {
        using var app = ScannedApp.WithExecutable(Plain);
        app.Run(new EncryptedBinaryRule()).Should().BeEmpty();
        var findings = StringRules.SelectMany(r => app.Run(r)).ToList();
        findings.Should().NotContain(f => f.Verdict == Verdict.Skipped);
        findings.Should().Contain(f => f.RuleId == RuleCatalog.BinCleartextUrl && f.Verdict == Verdict.Warn);
    }

    [Fact]
    public void Unreadable_executable_skips_every_binary_rule()
    {
        using var app = ScannedApp.WithExecutable([0xCF, 0xFA, 0xED, 0xFE, 1, 2, 3]);
        app.Main.ExecutableError.Should().NotBeNull();
        var findings = StringRules.Append(new LowLevelNetworkingRule()).SelectMany(r => app.Run(r)).ToList();
        findings.Should().NotContain(f => f.Verdict == Verdict.Pass);
        findings.Where(f => f.Verdict == Verdict.Skipped).Should().OnlyContain(f => f.Message.Contains("could not be read"));
        findings.Should().Contain(f => f.RuleId == RuleCatalog.BinLowLevelNetworking && f.Verdict == Verdict.Skipped);
    }
}
