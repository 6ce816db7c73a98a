using Microsoft.Extensions.Hosting;

namespace Anvil.Rack.Http;

/// <summary>
/// Replaces the console lifetime an embedded web application would otherwise install: Ctrl+C and
/// SIGTERM belong to the process's own host, which stops this server through <see cref="RackHttpServer.StopAsync"/>.
/// </summary>
internal sealed class OwnerControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
