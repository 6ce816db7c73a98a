using System.Net.Http.Headers;
using System.Text;
using Anvil.Region.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Region.Tests.Api.Scripts;

/// <summary>Multipart uploads as the maas CLI sends them (<c>script@=file</c>), signed as the given user.</summary>
internal static class ScriptUploads
{
    public static HttpClient MultipartClient(RegionTestHost host, TestUser user)
    {
        var server = (TestServer)host.Services.GetRequiredService<IServer>();
        var signer = new OAuthPlaintextHandler(user.Token.ConsumerKey, user.Token.TokenKey, user.Token.TokenSecret, host.Clock) { InnerHandler = server.CreateHandler() };
        return new HttpClient(signer) { BaseAddress = new Uri("http://localhost/MAAS/api/2.0/") };
    }

    /// <summary>A body with <paramref name="fields"/> as plain parts and <paramref name="fileText"/> as a file part named <paramref name="filePart"/>.</summary>
    public static MultipartFormDataContent Body(string filePart, string fileText, params (string Key, string Value)[] fields)
    {
        var body = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
            body.Add(new StringContent(value), key);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(fileText));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Add(file, filePart, filePart);
        return body;
    }

    /// <summary>A bash script with the given embedded metadata lines.</summary>
    public static string WithMetadata(params string[] yamlLines) =>
        "#!/bin/bash\n# --- Start MAAS 1.0 script metadata ---\n"
        + string.Concat(yamlLines.Select(l => $"# {l}\n"))
        + "# --- End MAAS 1.0 script metadata ---\necho ok\n";
}
