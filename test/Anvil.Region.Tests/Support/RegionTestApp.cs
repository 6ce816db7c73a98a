using Anvil.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Tests.Support;

/// <summary>
/// The region wired as anvild wires it (<c>AddAnvilData</c>, <c>AddRegion</c>, <c>MapRegion</c>) on a
/// test server, without the background services AddRegion registers (tests run those duties
/// themselves). <c>configure</c> adds what the test host replaces (a clock, an image store).
/// </summary>
internal static class RegionTestApp
{
    public static async Task<WebApplication> StartAsync(string connectionString, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        configure(builder.Services);
        builder.Services.AddAnvilData(connectionString);
        var hostedBefore = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        builder.Services.AddRegion();
        foreach (var background in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && !hostedBefore.Contains(d)).ToList())
            builder.Services.Remove(background);
        var app = builder.Build();
        app.MapRegion();
        await app.StartAsync();
        return app;
    }
}
