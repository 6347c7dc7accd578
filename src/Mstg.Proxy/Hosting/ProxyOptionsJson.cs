using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Hosting;

/// <summary>
/// <see cref="ProxyOptions"/> as one JSON document, the way <see cref="ProxyHost"/> hands them to its child process.
/// The record is serialized as it is, property by property, so a property added to it travels without anyone
/// remembering to pass it (a test reflects over the record to prove it); the few non-JSON types have converters
/// here. The document can hold proxy credentials: it is written with mode 0600 inside a private (0700) folder and
/// the child deletes it once read.
/// </summary>
public static class ProxyOptionsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new EndPointConverter(), new ConditionConverter(), new CredentialConverter(), new RootsConverter() },
    };

    public static string Serialize(ProxyOptions options) => JsonSerializer.Serialize(options, Options);

    /// <summary>Reads a document written by <see cref="Serialize"/>; bad JSON is an <see cref="MstgInputException"/> naming <paramref name="source"/>.</summary>
    public static ProxyOptions Deserialize(string json, string source = "proxy options")
    {
        ProxyOptions? options;
        try { options = JsonSerializer.Deserialize<ProxyOptions>(json, Options); }
        catch (JsonException e) { throw new MstgInputException(source, e.Path ?? "$", e.Message, e); }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        { throw new MstgInputException(source, "$", e.Message, e); }
        if (options is null) throw new MstgInputException(source, "$", "empty options document");
        // Host names compare case-insensitively, as ProxyOptions' own default map does.
        return options with { HostMap = new Dictionary<string, string>(options.HostMap, StringComparer.OrdinalIgnoreCase) };
    }

    /// <summary>Writes the document readable by this user only (0600, never over an existing file).</summary>
    public static void Write(ProxyOptions options, string path) => OwnerOnlyFile.Write(path, Serialize(options));

    /// <summary>SHA-256 of the serialized document: parent and child compare it to prove nothing was lost on the way.</summary>
    public static string Digest(ProxyOptions options) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(options))));

    private sealed class EndPointConverter : JsonConverter<IPEndPoint>
    {
        public override IPEndPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPEndPoint.Parse(reader.GetString() ?? throw new JsonException("endpoint is null"));
        public override void Write(Utf8JsonWriter writer, IPEndPoint value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class ConditionConverter : JsonConverter<CertificateCondition>
    {
        public override CertificateCondition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CertificateConditions.TryParse(reader.GetString(), out var c) ? c : throw new JsonException($"unknown condition '{reader.GetString()}'");
        public override void Write(Utf8JsonWriter writer, CertificateCondition value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());
    }

    private sealed class CredentialConverter : JsonConverter<NetworkCredential>
    {
        public override NetworkCredential Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var parts = JsonSerializer.Deserialize<Dictionary<string, string?>>(ref reader) ?? throw new JsonException("credentials are null");
            return new NetworkCredential(parts.GetValueOrDefault("user"), parts.GetValueOrDefault("password"), parts.GetValueOrDefault("domain"));
        }

        public override void Write(Utf8JsonWriter writer, NetworkCredential value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("user", value.UserName);
            writer.WriteString("password", value.Password);
            writer.WriteString("domain", value.Domain);
            writer.WriteEndObject();
        }
    }

    /// <summary>Root certificates as PEM strings: public data only.</summary>
    private sealed class RootsConverter : JsonConverter<X509Certificate2Collection>
    {
        public override X509Certificate2Collection Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var pems = JsonSerializer.Deserialize<string[]>(ref reader) ?? [];
            var roots = new X509Certificate2Collection();
            foreach (var pem in pems) roots.Add(X509Certificate2.CreateFromPem(pem));
            return roots;
        }

        public override void Write(Utf8JsonWriter writer, X509Certificate2Collection value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var cert in value) writer.WriteStringValue(cert.ExportCertificatePem());
            writer.WriteEndArray();
        }
    }
}
