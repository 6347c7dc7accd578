using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Static;

/// <summary>
/// MSTG-NETWORK-5: no single insecure channel (SMS, e-mail) for critical operations. A reviewer decides; the test passes on
/// their attestation and is skipped without one, listing what to review and the SMS/e-mail evidence found.
/// </summary>
[Trait("parentSuite", "Static analysis")]
[Trait("suite", "MSTG-NETWORK-5 Channels")]
public class Network5Channels
{
    [Theory(DisplayName = "Critical operations do not rely on SMS or e-mail (reviewed and attested)")]
    [MemberData(nameof(SuiteApps.Apps), MemberType = typeof(SuiteApps))]
    [MstgRequirement("MSTG-NETWORK-5", story: "CHANNEL-SMS-EMAIL", severity: "minor", tags: "static,manual")]
    public void Sms_and_email_review_is_attested(string app) => Network5Review.Assert(app);
}
