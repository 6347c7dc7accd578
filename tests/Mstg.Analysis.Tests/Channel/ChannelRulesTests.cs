using Mstg.Analysis.Channel;
using Mstg.Analysis.Tests.Binary.Support;

namespace Mstg.Analysis.Tests.Channel;

public class ChannelRulesTests
{
    [Fact]
    public void Message_composer_and_mailto_url_are_reported_as_evidence()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude +
            "extern char composer __asm__(\"_OBJC_CLASS_$_MFMessageComposeViewController\");\n" +
            "int main(void){ puts(\"mailto:support@example.com?subject=Reset\"); return (int)(long)&composer; }"));
        var finding = app.Run(new ChannelRules()).Should().ContainSingle().Subject;
        finding.RuleId.Should().Be(RuleCatalog.ChannelSmsEmail);
        finding.Verdict.Should().Be(Verdict.Info);
        finding.Evidence.Should().Contain("MessageUI.framework").And.Contain("uses class MFMessageComposeViewController").And.Contain("mailto: URL");
    }

    [Fact]
    public void Sms_url_alone_is_evidence()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"sms:+15550100&body=code\"); return 0; }"));
        app.Run(new ChannelRules()).Should().ContainSingle().Which.Evidence.Should().Contain("sms: URL");
    }

    [Fact]
    public void App_without_sms_or_mail_has_no_finding()
    {
        using var app = ScannedApp.WithExecutable(Clang.C(Clang.Prelude + "int main(void){ puts(\"https://example.com/smsgateway\"); return 0; }"));
        app.Run(new ChannelRules()).Should().BeEmpty();
    }
}
