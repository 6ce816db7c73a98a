using System.Globalization;
using Anvil.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// One dispatched API call: who is calling, the path parameters, the form, and typed readers for
/// declared parameters (declared types were checked before the action ran, so a reader's parse
/// cannot fail on a declared parameter).
/// </summary>
public sealed class ApiRequest
{
    public ApiRequest(HttpContext http, ApiAction action, ApiUser? user, IReadOnlyDictionary<string, string> route, ApiForm form)
    {
        Http = http;
        Action = action;
        User = user;
        Route = route;
        Form = form;
    }

    public HttpContext Http { get; }

    public ApiAction Action { get; }

    /// <summary>The caller, or null on an anonymous handler.</summary>
    public ApiUser? User { get; }

    /// <summary>The caller of an authenticated handler (never null there).</summary>
    public ApiUser Caller => User ?? throw new UnauthorizedException("Authentication required.");

    public IReadOnlyDictionary<string, string> Route { get; }

    public ApiForm Form { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    public T Service<T>()
        where T : notnull => Http.RequestServices.GetRequiredService<T>();

    /// <summary>A path parameter, e.g. <c>system_id</c>.</summary>
    public string Path(string name) => Route[name];

    /// <summary>Absolute base URI of this server as the client reached it (X-Forwarded-Host/Proto honoured), e.g. <c>http://host:5240</c>.</summary>
    public string BaseUri => ApiBaseUri.For(Http.Request);

    public bool Has(string name) => Form.Has(name);

    public string? String(string name) => Form.Get(name);

    public string RequiredString(string name) =>
        Form.Get(name) is { Length: > 0 } value ? value : throw new ValidationException(name, "This field is required.");

    public IReadOnlyList<string> Strings(string name) => Form.GetAll(name);

    public int? Int(string name) => Form.Get(name) is { Length: > 0 } v ? ParseInt(name, v) : null;

    public double? Float(string name) => Form.Get(name) is { Length: > 0 } v ? ParseFloat(name, v) : null;

    public bool? Bool(string name) => Form.Get(name) is { Length: > 0 } v ? ParseBool(name, v) : null;

    public bool Bool(string name, bool defaultValue) => Bool(name) ?? defaultValue;

    internal static int ParseInt(string name, string value) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new ValidationException(name, "Enter a whole number.");

    internal static double ParseFloat(string name, string value) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw new ValidationException(name, "Enter a number.");

    /// <summary>formencode StringBool, as MAAS's forms use: true/false, 1/0, yes/no, on/off, y/n, t/f.</summary>
    internal static bool ParseBool(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" or "y" or "t" => true,
        "false" or "0" or "no" or "off" or "n" or "f" => false,
        _ => throw new ValidationException(name, $"'{value}' is not a valid boolean value; use true or false."),
    };
}
