using System.Net;
using System.Text.Json;
using Shouldly;

namespace Anvil.Region.Tests.Support;

/// <summary>
/// Calls the API the way gomaasapi does (urlencoded bodies, op in the query string, GET and DELETE
/// parameters in the query string).
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public Task<HttpResponseMessage> GetAsync(string path, params (string Key, string Value)[] query) =>
        http.GetAsync(WithQuery(path, query));

    public Task<HttpResponseMessage> GetOpAsync(string path, string op, params (string Key, string Value)[] query) =>
        http.GetAsync(WithQuery(path, [("op", op), .. query]));

    public Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] form) =>
        http.PostAsync(path, Form(form));

    public Task<HttpResponseMessage> PostOpAsync(string path, string op, params (string Key, string Value)[] form) =>
        http.PostAsync(WithQuery(path, [("op", op)]), Form(form));

    public Task<HttpResponseMessage> PutAsync(string path, params (string Key, string Value)[] form) =>
        http.PutAsync(path, Form(form));

    public Task<HttpResponseMessage> DeleteAsync(string path, params (string Key, string Value)[] query) =>
        http.DeleteAsync(WithQuery(path, query));

    private static FormUrlEncodedContent Form((string Key, string Value)[] form) =>
        new(form.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));

    private static string WithQuery(string path, (string Key, string Value)[] query) =>
        query.Length == 0 ? path : path + "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}

public static class ApiResponseAssertions
{
    /// <summary>Asserts the status and a JSON content type, and returns the parsed body.</summary>
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts the status and a plain-text body, and returns the text.</summary>
    public static async Task<string> ShouldBeTextAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain", body);
        return body;
    }

    /// <summary>Asserts a 400 with MAAS's field-error dictionary and returns the fields that have errors.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> ShouldBeFieldErrorsAsync(this HttpResponseMessage response)
    {
        var json = await response.ShouldBeJsonAsync(HttpStatusCode.BadRequest);
        return json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    public static async Task ShouldBeStatusAsync(this HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
}
