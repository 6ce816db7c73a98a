using Xunit;

namespace Anvil.Server.Support;

/// <summary>One real anvild for the end-to-end tests; each test makes its own machines, users and tags.</summary>
public sealed class AnvildFixture : IAsyncLifetime
{
    private AnvildProcess? _anvild;

    public AnvildProcess Anvild => _anvild ?? throw new InvalidOperationException("anvild is not running.");

    public async Task InitializeAsync() => _anvild = await AnvildProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_anvild is not null)
            await _anvild.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AnvildCollection : ICollectionFixture<AnvildFixture>
{
    public const string Name = "anvild";
}
