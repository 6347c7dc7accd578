namespace Mstg.Suites.Static;

/// <summary>MSTG-NETWORK-5: no single insecure channel (SMS, e-mail) for critical operations. Evidence for manual review.</summary>
[Trait("epic", "MASVS-NETWORK-1")]
[Trait("feature", "MSTG-NETWORK-5")]
[Trait("tag", "static")]
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-5 Channels")]
public class Network5Channels
{
    [Theory(DisplayName = "SMS and e-mail channels are listed for review")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [Trait("story", "CHANNEL-SMS-EMAIL")]
    [Trait("severity", "minor")]
    public void Sms_and_email_channels_are_listed(string app) => RequirementCheck.Assert(app, "MSTG-NETWORK-5", RuleFamily.Channel);
}
