using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Allocation;

public class StorageConstraintsTests
{
    [Theory]
    [InlineData("10", 1)]
    [InlineData("root:80(ssd),data:400", 2)]
    [InlineData("200(ssd,removable),400(ssd),300", 3)]
    [InlineData("1.5", 1)]
    [InlineData(".5(partition)", 1)]
    [InlineData("a1:10(partition,ssd)", 1)]
    [InlineData("10,20,30", 3)]
    public void Parse_well_formed_text_keeps_the_text_and_every_item(string text, int items)
    {
        var parsed = StorageConstraints.Parse(text);

        parsed.Text.ShouldBe(text);
        parsed.Items.Count.ShouldBe(items);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("root:")]
    [InlineData("10 ,20")]
    [InlineData("10;20")]
    [InlineData("10()")]
    [InlineData("root_disk:10")]
    [InlineData("10(ssd")]
    [InlineData("10,,20")]
    [InlineData(",10")]
    [InlineData("10,")]
    [InlineData("1.2.3")]
    [InlineData(".")]
    [InlineData("-10")]
    [InlineData("10GB")]
    [InlineData("10 (ssd)")]
    public void Parse_malformed_text_is_a_storage_field_error(string text)
    {
        var error = Should.Throw<ValidationException>(() => StorageConstraints.Parse(text));

        error.FieldErrors.Keys.ShouldBe(["storage"]);
        error.FieldErrors["storage"].ShouldBe([$"Malformed storage constraint, \"{text}\"."]);
    }

    [Fact]
    public void Parse_reads_labels_sizes_in_decimal_gigabytes_and_tags()
    {
        var parsed = StorageConstraints.Parse("root:80(ssd),data:1.5(rotary,5400rpm),2");

        parsed.Items[0].ShouldBe(new StorageConstraint("root", 80_000_000_000, ["ssd"]), new StorageConstraintComparer());
        parsed.Items[1].Label.ShouldBe("data");
        parsed.Items[1].MinimumSize.ShouldBe(1_500_000_000);
        parsed.Items[1].Tags.ShouldBe(["rotary", "5400rpm"]);
        parsed.Items[2].Label.ShouldBe("");
        parsed.Items[2].MinimumSize.ShouldBe(2_000_000_000);
        parsed.Items[2].Tags.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_truncates_fractional_bytes_like_python_int()
    {
        StorageConstraints.Parse("0.0000000015").Items[0].MinimumSize.ShouldBe(1);
    }

    [Fact]
    public void Parse_saturates_absurd_sizes_instead_of_overflowing()
    {
        StorageConstraints.Parse("99999999999999999999999").Items[0].MinimumSize.ShouldBe(long.MaxValue);
    }

    [Fact]
    public void Match_order_keeps_the_first_item_and_sorts_the_rest_by_tag_count_stably()
    {
        var parsed = StorageConstraints.Parse("root:10,a:1,b:2(x),c:3(x,y),d:4(z)");

        parsed.MatchOrder.Select(c => c.Label).ShouldBe(["root", "c", "b", "d", "a"]);
    }

    [Fact]
    public void Partition_pseudo_tag_selects_partitions_and_is_not_a_required_tag()
    {
        var item = StorageConstraints.Parse("10(partition,ssd)").Items[0];

        item.MatchesPartition.ShouldBeTrue();
        item.RequiredTags.ShouldBe(["ssd"]);
        StorageConstraints.Parse("10(ssd)").Items[0].MatchesPartition.ShouldBeFalse();
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_of_random_text_only_ever_refuses_with_a_validation_error(int seed)
    {
        var random = new Random(seed);
        const string alphabet = "0123456789.:,()abcXYZ_- ;=\t\u00e9\u0000)(";
        for (var i = 0; i < 500; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            try
            {
                var parsed = StorageConstraints.Parse(text);
                parsed.Text.ShouldBe(text);
                parsed.Items.ShouldNotBeEmpty();
            }
            catch (ValidationException e)
            {
                e.FieldErrors.Keys.ShouldBe(["storage"]);
            }
        }
    }

    private sealed class StorageConstraintComparer : IEqualityComparer<StorageConstraint>
    {
        public bool Equals(StorageConstraint? x, StorageConstraint? y) =>
            x is not null && y is not null && x.Label == y.Label && x.MinimumSize == y.MinimumSize && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(StorageConstraint obj) => obj.Label.GetHashCode(StringComparison.Ordinal);
    }
}
