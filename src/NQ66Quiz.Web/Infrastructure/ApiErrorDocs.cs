using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NQ66Quiz.Web.Infrastructure;

/// <summary>
/// The error statuses every /api operation can answer because of how it is mapped, added to the OpenAPI document
/// from the endpoint's own metadata: 401 and 403 where it requires a policy; 400 (malformed JSON), 413 (over the body
/// limit) and 415 (not JSON) where it reads a body; 400 where a query value must parse; 500 everywhere. Statuses
/// that come from a feature's rules (404, 409, 429, 503) are declared on the endpoint with <c>ProducesProblem</c>.
/// </summary>
public static class ApiErrorDocs
{
    public static OpenApiOptions AddApiErrorDocs(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        Describe(operation, context.Description);
        return Task.CompletedTask;
    });

    private static void Describe(OpenApiOperation operation, ApiDescription description)
    {
        if (description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }
        operation.Responses ??= [];
        if (description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
        {
            Add(operation, StatusCodes.Status401Unauthorized);
            Add(operation, StatusCodes.Status403Forbidden);
        }
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body))
        {
            Add(operation, StatusCodes.Status400BadRequest);
            Add(operation, StatusCodes.Status413PayloadTooLarge);
            Add(operation, StatusCodes.Status415UnsupportedMediaType);
        }
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query && p.Type != typeof(string)))
        {
            Add(operation, StatusCodes.Status400BadRequest);
        }
        Add(operation, StatusCodes.Status500InternalServerError);
    }

    private static void Add(OpenApiOperation operation, int status) =>
        operation.Responses!.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new OpenApiResponse { Description = ErrorResponses.TitleFor(status) });
}
