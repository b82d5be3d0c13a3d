using Skia.Pool.Domain.Instances;

namespace Skia.Pool.Tests.Domain.Instances;

public sealed class InstanceIdTests
{
    private const string Canonical = "3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718";

    [Theory]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718")]
    [InlineData("3F2C8A1E-9B4D-4E6F-A1B2-C3D4E5F60718")]
    [InlineData("3f2C8a1E-9b4D-4e6F-a1B2-c3D4e5F60718")]
    public void TryParse_CanonicalUuidInAnyCase_StoresLowerCase(string text)
    {
        var parsed = InstanceId.TryParse(text, out var id);

        parsed.Should().BeTrue();
        id.ToString().Should().Be(Canonical);
    }

    [Fact]
    public void TryParse_SameUuidInDifferentCase_GivesEqualIds()
    {
        InstanceId.TryParse(Canonical, out var lower);
        InstanceId.TryParse(Canonical.ToUpperInvariant(), out var upper);

        upper.Should().Be(lower);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718}")]
    [InlineData("(3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718)")]
    [InlineData("3f2c8a1e9b4d4e6fa1b2c3d4e5f60718")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f6071")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f607189")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f6071g")]
    [InlineData("3f2c8a1e_9b4d_4e6f_a1b2_c3d4e5f60718")]
    [InlineData(" 3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f6071")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f6071 ")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718 ")]
    [InlineData("3f2c8a1e-9b4d-4e6f-a1b2-c3d4 5f60718")]
    [InlineData("../")]
    [InlineData("../3f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f607")]
    [InlineData("0x2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718")]
    [InlineData("+f2c8a1e-9b4d-4e6f-a1b2-c3d4e5f60718")]
    [InlineData("3f2c8a1e-0x4d-4e6f-a1b2-c3d4e5f60718")]
    [InlineData("3f2c8a1e-9b4d-+e6f-a1b2-c3d4e5f60718")]
    public void TryParse_NotACanonicalUuid_ReturnsFalse(string? text)
    {
        var parsed = InstanceId.TryParse(text, out var id);

        parsed.Should().BeFalse();
        id.Should().Be(default(InstanceId));
    }

    [Fact]
    public void New_CalledRepeatedly_GivesDistinctVersion4Ids()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => InstanceId.New().ToString()).ToList();

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id =>
        {
            id[14].Should().Be('4', "the version nibble of a random UUID is 4");
            "89ab".Should().Contain(id[19].ToString(), "the variant bits of an RFC 9562 UUID are 10");
        });
    }

    [Fact]
    public void New_Always_RoundTripsThroughTryParse()
    {
        var id = InstanceId.New();

        InstanceId.TryParse(id.ToString(), out var parsed).Should().BeTrue();
        parsed.Should().Be(id);
    }

    [Fact]
    public void Short_ParsedId_IsFirstEightHexDigits()
    {
        InstanceId.TryParse(Canonical, out var id);

        id.Short.Should().Be("3f2c8a1e");
    }

    [Fact]
    public void Short_NewId_IsPrefixOfIdWithoutDashes()
    {
        var id = InstanceId.New();

        id.Short.Should().MatchRegex("^[0-9a-f]{8}$");
        id.ToString().Replace("-", "", StringComparison.Ordinal).Should().StartWith(id.Short);
    }
}
