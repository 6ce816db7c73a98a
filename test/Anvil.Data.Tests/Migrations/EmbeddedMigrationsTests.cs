using Anvil.Data.Migrations;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Migrations;

public sealed class EmbeddedMigrationsTests
{
    [Fact]
    public void Load_returns_the_shipped_migrations_numbered_from_one_without_gaps()
    {
        var migrations = EmbeddedMigrations.Load();

        migrations.Select(m => m.Version).ShouldBe(Enumerable.Range(1, migrations.Count));
        migrations.ShouldAllBe(m => m.Sql.Length > 0);
    }

    [Fact]
    public void Parse_orders_scripts_by_their_number_and_takes_the_name_from_the_file()
    {
        var migrations = EmbeddedMigrations.Parse([Script("0002_add_tags.sql", "B"), Script("0001_initial.sql", "A")]);

        migrations.ShouldBe([new Migration(1, "initial", "A"), new Migration(2, "add_tags", "B")]);
    }

    [Fact]
    public void Parse_of_nothing_is_an_empty_history()
    {
        EmbeddedMigrations.Parse([]).ShouldBeEmpty();
    }

    [Fact]
    public void Parse_rejects_a_gap_in_the_numbering()
    {
        var error = Should.Throw<InvalidOperationException>(
            () => EmbeddedMigrations.Parse([Script("0001_initial.sql"), Script("0003_skipped.sql")]));

        error.Message.ShouldContain("0003_skipped should be number 2");
    }

    [Fact]
    public void Parse_rejects_a_history_not_starting_at_one()
    {
        var error = Should.Throw<InvalidOperationException>(() => EmbeddedMigrations.Parse([Script("0002_first.sql")]));

        error.Message.ShouldContain("should be number 1");
    }

    [Fact]
    public void Parse_rejects_two_scripts_with_one_number()
    {
        var error = Should.Throw<InvalidOperationException>(
            () => EmbeddedMigrations.Parse([Script("0001_initial.sql"), Script("0001_other.sql")]));

        error.Message.ShouldContain("share version 1");
    }

    [Theory]
    [InlineData("1_initial.sql")]
    [InlineData("0001-initial.sql")]
    [InlineData("0001_Initial.sql")]
    [InlineData("0001_.sql")]
    [InlineData("initial.sql")]
    public void Parse_rejects_a_badly_named_script(string fileName)
    {
        var error = Should.Throw<InvalidOperationException>(() => EmbeddedMigrations.Parse([Script(fileName)]));

        error.Message.ShouldContain(fileName);
    }

    private static KeyValuePair<string, string> Script(string fileName, string sql = "SELECT 1") => KeyValuePair.Create(fileName, sql);
}
