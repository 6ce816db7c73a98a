using Anvil.Rack.Http;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Http;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=10-", 10, 90)]
    [InlineData("bytes=90-1000", 90, 10)]
    [InlineData("bytes=-1", 99, 1)]
    [InlineData("bytes=-500", 0, 100)]
    [InlineData("BYTES= 5 - 6 ", 5, 2)]
    public void A_single_range_is_partial(string header, long start, long count)
    {
        ByteRange.Parse(header, 100).ShouldBe(new ByteRange(ByteRangeKind.Partial, start, count));
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=100-200")]
    [InlineData("bytes=-0")]
    public void A_range_past_the_end_is_unsatisfiable(string header)
    {
        ByteRange.Parse(header, 100).Kind.ShouldBe(ByteRangeKind.Unsatisfiable);
    }

    [Fact]
    public void Any_range_of_an_empty_file_is_unsatisfiable()
    {
        ByteRange.Parse("bytes=0-", 0).Kind.ShouldBe(ByteRangeKind.Unsatisfiable);
        ByteRange.Parse("bytes=-5", 0).Kind.ShouldBe(ByteRangeKind.Unsatisfiable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes=")]
    [InlineData("bytes=-")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=+1-2")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-1")]
    [InlineData("bytes=99999999999999999999-")]
    public void Malformed_or_multiple_ranges_mean_the_whole_file(string? header)
    {
        ByteRange.Parse(header, 100).ShouldBe(new ByteRange(ByteRangeKind.Whole, 0, 100));
    }
}
