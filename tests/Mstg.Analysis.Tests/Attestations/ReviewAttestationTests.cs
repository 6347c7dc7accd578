using Mstg.Analysis.Attestations;

namespace Mstg.Analysis.Tests.Attestations;

/// <summary>The MSTG-NETWORK-5 attestation reader (docs/attestations.md): what it accepts, and every way it refuses.</summary>
public class ReviewAttestationTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private const string Valid = """
        { "app": "com.example.bank", "reviewer": "Ada Reviewer, AppSec", "date": "2026-03-01",
          "flows": ["password reset: e-mail link plus in-app confirmation", "login: no SMS codes"] }
        """;

    [Fact]
    public void A_valid_attestation_is_read_with_a_one_year_default_validity()
    {
        var a = ReviewAttestations.Parse(Valid, "a.json", Today).Should().ContainSingle().Subject;
        a.Requirement.Should().Be("MSTG-NETWORK-5");
        a.App.Should().Be("com.example.bank");
        a.Reviewer.Should().Be("Ada Reviewer, AppSec");
        a.Date.Should().Be(new DateOnly(2026, 3, 1));
        a.Flows.Should().HaveCount(2);
        a.ValidUntil.Should().Be(new DateOnly(2027, 3, 1));
        a.IsExpired(Today).Should().BeFalse();
        a.IsExpired(new DateOnly(2027, 3, 1)).Should().BeTrue("the review holds until the day before ValidUntil");
        a.ToString().Should().Contain("Ada Reviewer").And.Contain("2026-03-01");
    }

    // Expiry, both directions: an explicit expiry wins over the one-year default, either way.
    [Theory]
    [InlineData("2026-03-01", null, "2026-06-01", false)]
    [InlineData("2025-05-31", null, "2026-06-01", true)]   // more than a year old, no expiry given
    [InlineData("2025-01-01", "2026-12-31", "2026-06-01", false)] // older than a year, but its own expiry is later
    [InlineData("2026-03-01", "2026-05-01", "2026-06-01", true)]  // younger than a year, but its own expiry has passed
    public void Expiry_is_its_own_or_one_year(string date, string? expires, string today, bool expired)
    {
        var json = $$"""{ "app": "a", "reviewer": "r", "date": "{{date}}", {{(expires is null ? "" : $"\"expires\": \"{expires}\",")}} "flows": ["f"] }""";
        ReviewAttestations.Parse(json, "inline", DateOnly.Parse(today)).Single().IsExpired(DateOnly.Parse(today)).Should().Be(expired);
    }

    [Fact]
    public void An_array_holds_one_attestation_per_app()
    {
        var all = ReviewAttestations.Parse($"[{Valid}, {Valid.Replace("com.example.bank", "com.example.other")}]", "a.json", Today);
        all.Select(a => a.App).Should().Equal("com.example.bank", "com.example.other");
    }

    [Fact]
    public void Load_reads_a_file_or_inline_json()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mstg-attest-").FullName, "network5.json");
        File.WriteAllText(file, Valid);
        ReviewAttestations.Load(file, Today).Single().Source.Should().Be(file);
        ReviewAttestations.Load("  " + Valid, Today).Single().Source.Should().Be("inline attestation");
        var missing = () => ReviewAttestations.Load(file + ".nope", Today);
        missing.Should().Throw<MstgInputException>().WithMessage("*network5.json.nope*does not exist*");
    }

    // Every malformed attestation is refused with the place and the problem; none is silently read.
    public static TheoryData<string, string> Malformed => new()
    {
        { "{ not json", "*line 1*not valid JSON*" },
        { "\"text\"", "*top level*attestation object*" },
        { "[]", "*top level*no attestation*" },
        { """{ "reviewer": "r", "date": "2026-01-01", "flows": ["f"] }""", "*field \"app\"*required*" },
        { """{ "app": "a", "date": "2026-01-01", "flows": ["f"] }""", "*field \"reviewer\"*required*" },
        { """{ "app": "a", "reviewer": "", "date": "2026-01-01", "flows": ["f"] }""", "*field \"reviewer\"*non-empty*" },
        { """{ "app": "a", "reviewer": "r", "flows": ["f"] }""", "*field \"date\"*required*" },
        { """{ "app": "a", "reviewer": "r", "date": "01/02/2026", "flows": ["f"] }""", "*field \"date\"*yyyy-MM-dd*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-07-01", "flows": ["f"] }""", "*field \"date\"*in the future*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01", "expires": "2025-12-31", "flows": ["f"] }""", "*field \"expires\"*not after*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01" }""", "*field \"flows\"*required*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": [] }""", "*field \"flows\"*no flow*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": "login" }""", "*field \"flows\"*array*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": ["ok", 3] }""", "*flows\", item 2*" },
        { """{ "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": ["f"], "expiry": "2027-01-01" }""", "*field \"expiry\"*unknown field*" },
        { """{ "requirement": "MSTG-NETWORK-4", "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": ["f"] }""", "*field \"requirement\"*only MSTG-NETWORK-5*" },
        { """[{ "app": "a", "reviewer": "r", "date": "2026-01-01", "flows": ["f"] }, 7]""", "*attestation 2*expected an object*" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_attestations_are_refused_with_place_and_problem(string json, string expected)
    {
        var read = () => ReviewAttestations.Parse(json, "network5.json", Today);
        read.Should().Throw<MstgInputException>().Where(e => e.Source == "network5.json").WithMessage(expected);
    }
}
