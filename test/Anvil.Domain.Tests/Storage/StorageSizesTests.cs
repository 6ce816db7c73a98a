using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Storage;

public sealed class StorageSizesTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("10K", 10_000L)]
    [InlineData("10k", 10_000L)]
    [InlineData("5M", 5_000_000L)]
    [InlineData("8G", 8_000_000_000L)]
    [InlineData("1.5G", 1_500_000_000L)]
    [InlineData("2T", 2_000_000_000_000L)]
    [InlineData("1P", 1_000_000_000_000_000L)]
    [InlineData("1E", 1_000_000_000_000_000_000L)]
    [InlineData(" 7 ", 7L)]
    public void Parse_reads_bytes_and_decimal_suffixes(string text, long expected) =>
        StorageSizes.TryParse(text).ShouldBe(expected);

    [Theory]
    [InlineData("50%", 1000L, 500L)]
    [InlineData("100%", 1000L, 1000L)]
    [InlineData("33%", 1000L, 330L)]
    [InlineData("12.5%", 1000L, 125L)]
    public void Parse_takes_a_percentage_of_the_whole(string text, long whole, long expected) =>
        StorageSizes.TryParse(text, whole).ShouldBe(expected);

    [Theory]
    [InlineData("abc")]
    [InlineData("10X")]
    [InlineData("-5")]
    [InlineData("150%")]
    [InlineData("G")]
    [InlineData("99999E")]
    public void TryParse_refuses_what_is_not_a_size(string text) => StorageSizes.TryParse(text, 1000).ShouldBeNull();

    [Fact]
    public void Parse_refuses_a_percentage_where_there_is_no_whole_with_a_field_error()
    {
        var e = Should.Throw<ValidationException>(() => StorageSizes.Parse("size", "50%"));
        e.FieldErrors.Keys.ShouldBe(["size"]);
    }

    [Fact]
    public void Parse_of_nothing_is_null() => StorageSizes.Parse("size", "  ").ShouldBeNull();

    [Theory]
    [InlineData(999L, "999 bytes")]
    [InlineData(8_000_000_000L, "8.0 GB")]
    [InlineData(1_500_000L, "1.5 MB")]
    public void Human_writes_decimal_units_like_MAAS(long bytes, string expected) => StorageSizes.Human(bytes).ShouldBe(expected);
}
