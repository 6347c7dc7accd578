namespace Mstg.Cli;

internal static class Usage
{
    public const string Text = """
        mstg — OWASP MSTG-NETWORK / MASVS-NETWORK checks for iOS apps

        Usage:
          mstg scan <app.ipa | App.app | Info.plist> [options]
              --profile L1|L2          verification level (default L1; pinning is required at L2)
              --format text|json|sarif output format (default text)
              --output FILE            write the report to FILE instead of standard output
              --first-party D1,D2      domains the app's owner controls (judged for pinning)
              --advisories FILE        extra OSV-style advisory file (repeatable)
              --max-entry-size BYTES   largest single file read from an IPA
              --max-strings N          strings kept per Mach-O image (default 16,000,000; more: incomplete)
              --timings                print where the scan spent its time (to standard error)
              --strict                 exit 1 also when the scan is incomplete (skipped rules, unreadable files)
          mstg proxy [options]         interception proxy with certificate conditions (mstg proxy --help)
          mstg ca export [options]     export the run's CA certificate (mstg ca --help)
          mstg report --results DIR --output DIR [--engine allure2|allure3] [--single-file]
                      [--name NAME] [--repo-root DIR]
                                       build the Allure HTML report from allure-results
          mstg version

        Exit codes: 0 nothing failed, 1 a rule failed (or, with --strict, the scan was incomplete),
                    2 bad input or usage, 130 stopped by SIGINT (Ctrl-C), 143 stopped by SIGTERM;
                    a stopped scan writes no report.

        """;
}
