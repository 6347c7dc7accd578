using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Binary;

/// <summary>
/// BIN-EMBEDDED-TLS-LIBRARY (MASTG-TEST-0345): OpenSSL, BoringSSL, mbedTLS or libcurl compiled into the app or shipped
/// as a framework. Such a stack bypasses ATS entirely, so its protocol, cipher and verification settings need review.
/// </summary>
public sealed class EmbeddedTlsLibraryRule : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context)
    {
        var view = ExecutableView.For(context);
        foreach (var library in LibraryDetector.Detect(context).Where(l => l.Signature.TlsStack))
            yield return RuleFindings.Create(context, RuleCatalog.BinEmbeddedTlsLibrary, Verdict.Info,
                $"{library.Display} is embedded in {context.Bundle.Name}. Connections it makes are not governed by ATS: review that it " +
                "requires TLS 1.2+, uses strong cipher suites and verifies certificates and host names " +
                "(SSL_CTX_set_min_proto_version / SSL_CTX_set_verify, mbedtls_ssl_conf_min_version / mbedtls_ssl_conf_authmode, CURLOPT_SSL_VERIFYPEER/VERIFYHOST).",
                library.Location, RuleFindings.JoinEvidence(library.Evidence));
        if (view.Blocked) yield return view.Skipped(RuleCatalog.BinEmbeddedTlsLibrary, "TLS library banners and symbols in the executable");
    }
}
