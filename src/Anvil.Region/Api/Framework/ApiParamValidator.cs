using Anvil.Domain.Errors;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Checks an action's declared parameters before it runs, collecting every problem into one
/// MAAS-style field-error dictionary (400 JSON) instead of failing on the first.
/// </summary>
internal static class ApiParamValidator
{
    public const string RequiredMessage = "This field is required.";

    public static void Validate(ApiAction action, ApiForm form)
    {
        Dictionary<string, IReadOnlyList<string>>? errors = null;
        foreach (var param in action.Params)
        {
            var messages = Check(param, form);
            if (messages.Count > 0)
                (errors ??= new(StringComparer.Ordinal))[param.Name] = messages;
        }

        if (errors is not null)
            throw new ValidationException(errors);
    }

    private static List<string> Check(ApiParam param, ApiForm form)
    {
        var messages = new List<string>();
        var values = form.GetAll(param.Name).Where(v => v.Length > 0).ToList();
        var present = values.Count > 0 || (param.Type == ApiParamType.File && form.GetFile(param.Name) is not null);
        if (!present)
        {
            if (param.Required)
                messages.Add(RequiredMessage);
            return messages;
        }

        // Typed readers take the last value of a single parameter; a repeatable one is read whole.
        foreach (var value in param.Repeatable ? values : values.TakeLast(1))
        {
            try
            {
                _ = param.Type switch
                {
                    ApiParamType.Int => ApiRequest.ParseInt(param.Name, value),
                    ApiParamType.Float => ApiRequest.ParseFloat(param.Name, value),
                    ApiParamType.Bool => (object)ApiRequest.ParseBool(param.Name, value),
                    _ => value,
                };
            }
            catch (ValidationException e)
            {
                messages.AddRange(e.FieldErrors.SelectMany(f => f.Value).Where(m => !messages.Contains(m)));
            }
        }

        return messages;
    }
}
