using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Security;

/// <summary>
/// A second app on the run's database and Redis (in memory, TestServer) with the given settings, whose clients say which
/// source address they come from (header <c>X-Test-Address</c>, read only here, by a start-up filter of the test): so
/// per-address limits are tested without the whole suite sharing 127.0.0.1's budget.
/// </summary>
public sealed class LimitedApp(AppFixture app, Dictionary<string, string> settings, string environment = "Testing") : IAsyncDisposable
{
    public const string AddressHeader = "X-Test-Address";

    private readonly WebApplicationFactory<Program> _factory = app.Factory.WithWebHostBuilder(b =>
    {
        b.UseEnvironment(environment);
        foreach (var (k, v) in settings)
        {
            b.UseSetting(k, v);
        }
        b.ConfigureServices(s => s.AddTransient<IStartupFilter, AddressFromHeader>());
    });

    public IServiceProvider Services => _factory.Services;

    /// <summary>Serves this app on a loopback port too (for a browser); call before anything else touches it.</summary>
    public Uri StartKestrel()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        return new Uri(_factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
    }

    public HttpClient Client(string address)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(builder);
        };
    }
}
