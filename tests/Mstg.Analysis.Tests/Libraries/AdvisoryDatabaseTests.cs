using System.Text;
using Mstg.Analysis.Libraries;

namespace Mstg.Analysis.Tests.Libraries;

public class AdvisoryDatabaseTests
{
    private static IReadOnlyList<string> Ids(string package, string version) =>
        AdvisoryDatabase.BuiltIn.Matching(package, LibraryVersion.Parse(version)).Select(a => a.Id).Order().ToList();

    [Theory]
    [InlineData("1.0.1", "CVE-2014-0160")]
    [InlineData("1.0.1f", "CVE-2014-0160")]
    [InlineData("1.0.1f", "CVE-2014-0224")]
    [InlineData("1.0.1g", "CVE-2014-0224")]
    [InlineData("0.9.8y", "CVE-2014-0224")]
    [InlineData("1.0.0l", "CVE-2015-0204")]
    [InlineData("1.0.2b", "CVE-2015-1793")]
    [InlineData("1.0.2g", "CVE-2016-2107")]
    [InlineData("3.0.6", "CVE-2022-3602")]
    [InlineData("3.0.6", "CVE-2022-3786")]
    [InlineData("3.0.7", "CVE-2023-0286")]
    [InlineData("1.1.1s", "CVE-2023-0286")]
    [InlineData("1.0.2zf", "CVE-2023-0286")]
    public void Openssl_versions_inside_a_range_match(string version, string id) => Ids("OpenSSL", version).Should().Contain(id);

    [Theory]
    [InlineData("1.0.1g", "CVE-2014-0160")]
    [InlineData("1.0.0", "CVE-2014-0160")]
    [InlineData("1.0.1h", "CVE-2014-0224")]
    [InlineData("0.9.8za", "CVE-2014-0224")]
    [InlineData("1.0.1m", "CVE-2015-1793")]
    [InlineData("1.0.2d", "CVE-2015-1793")]
    [InlineData("1.0.2h", "CVE-2016-2107")]
    [InlineData("3.0.7", "CVE-2022-3602")]
    [InlineData("2.9.9", "CVE-2022-3602")]
    [InlineData("1.1.1t", "CVE-2023-0286")]
    [InlineData("1.0.2zg", "CVE-2023-0286")]
    [InlineData("3.0.8", "CVE-2023-0286")]
    public void Openssl_versions_at_or_after_the_fix_do_not_match(string version, string id) => Ids("OpenSSL", version).Should().NotContain(id);

    // 3.0.13 was the example of a clean version until the data gained CVE-2024-6119 (fixed in 3.0.15); 3.5.4 is the
    // current LTS line and matches nothing as of the data's date.
    [Fact]
    public void Current_openssl_matches_nothing() => Ids("OpenSSL", "3.5.4").Should().BeEmpty();

    [Theory]
    [InlineData("OpenSSL", "3.0.13", "CVE-2024-6119")]
    [InlineData("OpenSSL", "3.3.2", "CVE-2024-12797")]
    [InlineData("OpenSSL", "3.4.0", "CVE-2024-12797")]
    [InlineData("curl", "7.69.0", "CVE-2023-38545")]
    [InlineData("curl", "8.3.0", "CVE-2023-38545")]
    [InlineData("curl", "8.20.0", "CVE-2026-8932")]
    [InlineData("Starscream", "2.0.3", "CVE-2017-5887")]
    [InlineData("grpc-swift", "1.1.1", "GHSA-rxmj-hg9v-vp3p")]
    [InlineData("grpc-swift", "1.7.1", "GHSA-r6ww-5963-7r95")]
    [InlineData("gRPC", "1.54.2", "GHSA-496j-2rq6-j6cc")]
    [InlineData("gRPC", "1.52.9", "GHSA-cfgp-2977-2fmm")]
    public void New_packages_match_inside_their_ranges(string package, string version, string id) => Ids(package, version).Should().Contain(id);

    [Theory]
    [InlineData("OpenSSL", "3.0.15", "CVE-2024-6119")]
    [InlineData("OpenSSL", "3.3.3", "CVE-2024-12797")]
    [InlineData("OpenSSL", "3.1.8", "CVE-2024-12797")]
    [InlineData("curl", "7.68.0", "CVE-2023-38545")]
    [InlineData("curl", "8.4.0", "CVE-2023-38545")]
    [InlineData("curl", "8.21.0", "CVE-2026-8932")]
    [InlineData("Starscream", "2.0.4", "CVE-2017-5887")]
    [InlineData("grpc-swift", "1.2.0", "GHSA-rxmj-hg9v-vp3p")]
    [InlineData("grpc-swift", "0.9.0", "GHSA-rxmj-hg9v-vp3p")]
    [InlineData("grpc-swift", "1.7.2", "GHSA-r6ww-5963-7r95")]
    [InlineData("gRPC", "1.54.3", "GHSA-496j-2rq6-j6cc")]
    [InlineData("gRPC", "1.53.0", "GHSA-cfgp-2977-2fmm")]
    public void New_packages_do_not_match_outside_their_ranges(string package, string version, string id) => Ids(package, version).Should().NotContain(id);

    [Fact]
    public void Builtin_data_is_dated_and_covers_the_libraries_ios_apps_ship()
    {
        var db = AdvisoryDatabase.BuiltIn;
        db.AsOf.Should().Be(new DateOnly(2026, 12, 1));
        db.Describe().Should().Be("advisory data as of 2026-12-01");
        foreach (var package in new[] { "AFNetworking", "Alamofire", "OpenSSL", "BoringSSL", "curl", "SocketRocket", "Starscream", "TrustKit", "CocoaAsyncSocket", "gRPC", "grpc-swift", "Moya" })
            db.CoverageOf(package).Should().NotBeNull(package).And.Subject.As<PackageCoverage>().Sources.Should().NotBeEmpty();
        db.CoverageOf("BoringSSL")!.Versioned.Should().BeFalse();
        db.CoverageOf("mbedTLS").Should().BeNull();
        // Every package the signature table names for advisories either has coverage or is knowingly left out.
        LibrarySignatures.All.Select(s => s.Package).Where(p => db.CoverageOf(p) is null)
            .Should().BeEquivalentTo("ASIHTTPRequest", "GTMSessionFetcher", "Flutter", "React Native", "mbedTLS");
    }

    [Theory]
    [InlineData("1.0.2u", "1.0.2", "2019-12-31")]
    [InlineData("1.1.1w", "1.1.1", "2023-09-11")]
    [InlineData("3.0.17", "3.0", "2026-09-07")]
    [InlineData("3.1.8", "3.1", "2025-03-14")]
    [InlineData("3.2.6", "3.2", "2025-11-23")]
    [InlineData("3.3.4", "3.3", "2026-04-09")]
    [InlineData("3.4.3", "3.4", "2026-10-22")]
    [InlineData("3.5.4", "3.5 (LTS)", "2030-04-08")]
    public void Openssl_branches_have_their_end_of_life_dates(string version, string branch, string date)
    {
        var eol = AdvisoryDatabase.BuiltIn.BranchOf("OpenSSL", LibraryVersion.Parse(version));
        eol.Should().NotBeNull();
        eol!.Branch.Should().Be(branch);
        eol.Date.Should().Be(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{ "asOf": "1 Dec 2026", "advisories": [] }""", "asOf")]
    [InlineData("""{ "advisories": [], "endOfLife": [ { "package": "OpenSSL", "branch": "x", "introduced": "3.0.0", "before": "2.0.0", "date": "2026-01-01" } ] }""", "endOfLife #0")]
    [InlineData("""{ "advisories": [], "endOfLife": [ { "package": "OpenSSL", "introduced": "3.0.0", "before": "3.1.0", "date": "soon" } ] }""", "endOfLife")]
    [InlineData("""{ "advisories": [], "coverage": [ { "package": 3 } ] }""", "coverage")]
    public void Malformed_dates_and_tables_are_typed_input_errors(string json, string place)
    {
        var act = () => AdvisoryDatabase.LoadData(Json(json), "mine.json");
        act.Should().Throw<MstgInputException>().Where(e => e.Source == "mine.json" && e.Message.Contains(place));
    }

    [Fact]
    public void Afnetworking_edges()
    {
        Ids("AFNetworking", "2.5.1").Should().Equal("CVE-2015-3996", "MSTG-ADV-AFN-2015-1");
        Ids("AFNetworking", "2.5.2").Should().Equal("CVE-2015-3996");
        Ids("AFNetworking", "2.5.3").Should().BeEmpty();
        Ids("afnetworking", "1.3.4").Should().Equal("CVE-2015-3996");
        Ids("AFNetworking", "4.0.1").Should().BeEmpty();
    }

    [Fact]
    public void Alamofire_edges()
    {
        Ids("Alamofire", "1.2.0").Should().Equal("MSTG-ADV-ALAMOFIRE-2015-1");
        Ids("Alamofire", "1.2.1").Should().BeEmpty();
        Ids("Alamofire", "5.8.1").Should().BeEmpty();
    }

    [Fact]
    public void Builtin_ids_are_cves_ghsas_or_our_own_prefix_and_every_entry_has_severity_and_references()
    {
        AdvisoryDatabase.BuiltIn.Advisories.Should().NotBeEmpty();
        AdvisoryDatabase.BuiltIn.Advisories.Should().OnlyContain(a =>
            (a.Id.StartsWith("CVE-") || a.Id.StartsWith("GHSA-") || a.Id.StartsWith("MSTG-ADV-")) && a.References.Count > 0 && a.Summary.Length > 0
            && a.Severity != null && a.References.All(r => r.Url.StartsWith("https://")));
        // CVE ids from the unverifiable lists warned about in the research notes must never appear.
        AdvisoryDatabase.BuiltIn.Advisories.SelectMany(a => a.Aliases.Append(a.Id))
            .Should().NotContain(["CVE-2016-4117", "CVE-2020-36241", "CVE-2015-3994", "CVE-2015-6995", "CVE-2015-5390"]);
    }

    private static Stream Json(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Last_affected_is_inclusive_and_single_objects_load()
    {
        var advisories = AdvisoryDatabase.Load(Json("""
            { "id": "TEST-1", "summary": "s", "affected": [ { "package": { "name": "Starscream" },
              "ranges": [ { "type": "SEMVER", "events": [ { "introduced": "4.0.0" }, { "last_affected": "4.0.8" } ] } ] } ] }
            """), "user.json");
        var db = new AdvisoryDatabase(advisories);
        db.Matching("Starscream", LibraryVersion.Parse("4.0.8")).Should().ContainSingle();
        db.Matching("Starscream", LibraryVersion.Parse("4.0.0")).Should().ContainSingle();
        db.Matching("Starscream", LibraryVersion.Parse("4.0.9")).Should().BeEmpty();
        db.Matching("Starscream", LibraryVersion.Parse("3.1.1")).Should().BeEmpty();
        advisories[0].Origin.Should().Be("user.json");
    }

    [Fact]
    public void User_files_are_added_to_the_builtin_ones()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """[ { "id": "GHSA-test-0001", "summary": "s", "affected": [ { "package": { "name": "Alamofire" }, "versions": [ "5.8.1" ] } ] } ]""");
            var db = AdvisoryDatabase.WithFiles([path]);
            db.Advisories.Count.Should().Be(AdvisoryDatabase.BuiltIn.Advisories.Count + 1);
            db.Matching("Alamofire", LibraryVersion.Parse("5.8.1")).Should().ContainSingle().Which.Id.Should().Be("GHSA-test-0001");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_user_file_covers_the_packages_it_names_and_is_named_with_the_date()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { "coverage": [ { "package": "GTMSessionFetcher", "sources": [ "https://example.invalid/reviewed" ] } ],
                  "endOfLife": [ { "package": "mbedTLS", "branch": "2.x", "introduced": "2.0.0", "before": "3.0.0", "date": "2024-12-31", "reference": "https://example.invalid/eol" } ],
                  "advisories": [ { "id": "GHSA-user-0002", "summary": "s", "affected": [ { "package": { "name": "mbedTLS" }, "versions": [ "2.16.0" ] } ] } ] }
                """);
            AdvisoryDatabase.BuiltIn.CoverageOf("mbedTLS").Should().BeNull();
            var db = AdvisoryDatabase.WithFiles([path]);
            db.CoverageOf("mbedTLS")!.Sources.Should().Equal(path);
            db.CoverageOf("GTMSessionFetcher")!.Sources.Should().Equal("https://example.invalid/reviewed");
            db.BranchOf("mbedTLS", LibraryVersion.Parse("2.28.0"))!.Date.Should().Be(new DateOnly(2024, 12, 31));
            db.Describe().Should().Be($"advisory data as of 2026-12-01, plus {path}");
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("42", "expected an OSV advisory")]
    [InlineData("""[ { "summary": "no id", "affected": [ { "package": { "name": "x" } } ] } ]""", "missing \"id\"")]
    [InlineData("""[ { "id": "X", "affected": [] } ]""", "no \"affected\"")]
    [InlineData("""[ { "id": "X", "affected": [ { "package": { "name": "x" }, "ranges": [ { "events": [ { "introduced": "1.0", "fixed": "2.0" } ] } ] } ] } ]""", "exactly one")]
    [InlineData("""[ { "id": "X", "affected": [ { "package": { "name": "x" }, "ranges": [ { "events": [ { "fixed": "soon" } ] } ] } ] } ]""", "not a version")]
    [InlineData("""[ { "id": "X", "affected": [ { "package": { "name": "x" }, "versions": [ "latest" ] } ] } ]""", "not a version")]
    [InlineData("""[ { "id": 7, "affected": [] } ]""", "wrong shape")]
    public void Malformed_files_are_typed_input_errors_naming_the_file(string json, string problem)
    {
        var act = () => AdvisoryDatabase.Load(Json(json), "mine.json");
        act.Should().Throw<MstgInputException>().Where(e => e.Source == "mine.json" && e.Message.Contains(problem));
    }

    [Fact]
    public void Missing_user_file_is_a_typed_error()
    {
        var act = () => AdvisoryDatabase.WithFiles(["/nonexistent/advisories.json"]);
        act.Should().Throw<MstgInputException>().Which.Source.Should().Be("/nonexistent/advisories.json");
    }
}
