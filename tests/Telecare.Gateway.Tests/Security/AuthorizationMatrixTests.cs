using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Security;

/// <summary>Every endpoint the app maps × every role and anonymous: allowed roles get through, the rest get 401/403.</summary>
public sealed partial class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Factory>
{
    private readonly GatewayFactory _factory;

    public AuthorizationMatrixTests(Factory factory) => _factory = factory;

    public sealed class Factory() : GatewayFactory(null);

    private IReadOnlyList<(string Key, string Method, string Pattern)> Endpoints()
    {
        _ = _factory.Server;
        var sources = _factory.Services.GetServices<EndpointDataSource>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => ($"{m} {Normalize(e.RoutePattern.RawText!)}", m, Normalize(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
    }

    private static string Normalize(string pattern) => "/" + pattern.TrimStart('/');

    [Fact]
    public void Every_endpoint_has_a_rule()
    {
        var missing = Endpoints().Where(e => !EndpointRules.Allowed.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(missing.Count == 0, "Endpoints without an authorization rule in EndpointRules: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_rule_names_an_endpoint_that_exists()
    {
        var keys = Endpoints().Select(e => e.Key).ToHashSet();
        var stale = EndpointRules.Allowed.Keys.Where(k => !keys.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Rules for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Allowed_roles_get_through_and_the_rest_are_refused()
    {
        var failures = new List<string>();
        foreach (var (key, method, pattern) in Endpoints())
        {
            if (!EndpointRules.Allowed.TryGetValue(key, out var allowed) || key == "POST /api/v1/auth/login")
            {
                continue; // missing rules fail the test above; sign-in is anonymous and rate-limited (own tests)
            }

            foreach (var who in (string?[])[null, .. Roles.All])
            {
                using var client = _factory.ClientAs(who);
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(pattern));
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                var response = await client.SendAsync(request);
                var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var shouldPass = allowed.Contains(who ?? "anonymous");
                if (shouldPass == refused)
                {
                    failures.Add($"{key} as {who ?? "anonymous"}: {(int)response.StatusCode} {response.Headers.WwwAuthenticate}, expected {(shouldPass ? "allowed" : "401/403")}");
                }

                if (who is null && !shouldPass && response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{key} anonymous: {(int)response.StatusCode}, expected 401");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Ids that exist nowhere: a permitted call then answers 404/400 instead of changing anything (revoking the
    // test's own keys, say), which is all the matrix needs to know.
    private static string Url(string pattern) => RouteParameter().Replace(pattern, match => match.Value.Contains("documentName") ? "v1" : "987654321");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
