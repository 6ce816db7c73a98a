namespace Anvil.Lab.Fleet;

/// <summary>Fetches a file the way a booting machine would and throws the bytes away, counting them.</summary>
internal static class Download
{
    public static async Task<long> DiscardAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {url}: HTTP {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
            total += read;
        return total;
    }
}
