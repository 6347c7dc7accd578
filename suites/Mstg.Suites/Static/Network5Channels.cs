using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-5: no single insecure channel (SMS, e-mail) for critical operations. Evidence for manual review.</summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-5 Channels")]
public class Network5Channels
{
    [Theory(DisplayName = "SMS and e-mail channels are listed for review")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-5", story: "CHANNEL-SMS-EMAIL", severity: "minor", tags: "static")]
    public void Sms_and_email_channels_are_listed(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-5", RuleFamily.Channel);
}
