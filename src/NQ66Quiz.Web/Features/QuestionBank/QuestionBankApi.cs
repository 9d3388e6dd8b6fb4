using NQ66Quiz.Web.Infrastructure;

namespace NQ66Quiz.Web.Features.QuestionBank;

public static class QuestionBankApi
{
    public static IServiceCollection AddQuestionBank(this IServiceCollection services)
    {
        services.AddVerb<ContentCheckVerb>();
        services.AddSingleton<IContentLoader, QuestionBankLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapQuestionBank(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
