using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.Proxy.Certificates;

/// <summary>
/// Signs with sha1WithRSAEncryption. The BCL's RSA generator no longer accepts SHA-1, but the sha1-signature
/// condition exists precisely to present such a certificate, so this one writes the algorithm identifier itself.
/// </summary>
internal sealed class Sha1RsaSignatureGenerator(RSA key) : X509SignatureGenerator
{
    private const string Sha1WithRsa = "1.2.840.113549.1.1.5";

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Sha1WithRsa);
            writer.WriteNull();
        }
        return writer.Encode();
    }

#pragma warning disable CA5350 // SHA-1 is the weakness this condition presents on purpose.
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
#pragma warning restore CA5350

    protected override PublicKey BuildPublicKey() => new(key);
}
