using Microsoft.Extensions.Time.Testing;

namespace Mstg.Cli.Tests;

/// <summary>
/// <c>mstg scan</c> judges every date against one clock (<c>Program.RunAsync(..., clock)</c>): waiver expiry and the
/// expiry checks of the scan itself. The dates here lie years ahead of the real clock, so a check that read the system
/// clock instead would never see them expire.
/// </summary>
public sealed class ScanClockTests
{
    private static readonly DateTimeOffset Start = new(2031, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string PinA = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly string PinB = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());

    [Fact]
    public async Task A_waiver_that_expires_tomorrow_suppresses_today_and_stops_two_days_later()
    {
        var plist = CliRunner.TempFile("Info.plist", """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
            </dict></plist>
            """);
        var baseline = CliRunner.TempFile("mstg-baseline.json", """
            { "waivers": [ { "rule": "ATS-ARBITRARY-LOADS", "justification": "LAN-only kiosk build, SEC-142", "expires": "2031-06-02" } ] }
            """);
        var clock = new FakeTimeProvider(Start);

        var (exit, text, _) = await CliRunner.RunAt(clock, "scan", plist, "--baseline", baseline);
        exit.Should().Be(ExitCodes.Ok, text);
        text.Should().Contain("SUPPRESSED until 2031-06-02");

        clock.Advance(TimeSpan.FromDays(2));
        var (later, laterText, laterError) = await CliRunner.RunAt(clock, "scan", plist, "--baseline", baseline);
        later.Should().Be(ExitCodes.RuleFailed, laterText);
        laterError.Should().Contain("expired waiver");
    }

    [Fact]
    public async Task A_trustkit_pin_set_that_expires_tomorrow_is_reported_once_the_clock_passes_its_date()
    {
        var plist = CliRunner.TempFile("Info.plist", $$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>
                <key>api.example.com</key><dict>
                  <key>TSKExpirationDate</key><string>2031-06-02</string>
                  <key>TSKPublicKeyHashes</key><array><string>{{PinA}}</string><string>{{PinB}}</string></array>
                </dict>
              </dict></dict>
            </dict></plist>
            """);
        var clock = new FakeTimeProvider(Start);

        (await CliRunner.RunAt(clock, "scan", plist, "--format", "json")).Out.Should().NotContain("PIN-TRUSTKIT-EXPIRED");

        clock.Advance(TimeSpan.FromDays(2));
        (await CliRunner.RunAt(clock, "scan", plist, "--format", "json")).Out.Should().Contain("PIN-TRUSTKIT-EXPIRED");
    }
}
