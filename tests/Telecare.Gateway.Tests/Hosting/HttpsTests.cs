using System.Net;
using System.Security.Cryptography.X509Certificates;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hosting;

/// <summary>
/// HTTPS when configured: the real gateway process serves its API and pages over TLS with a PEM certificate and key
/// given in configuration (Kestrel's own endpoint settings), to a client that trusts the issuing CA — and to nobody else.
/// </summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task The_gateway_serves_https_with_a_configured_pem_certificate()
    {
        using var data = new TempDirectory();
        TestCertificateAuthority.WriteBrokerFiles(data.Path);
        var httpsPort = GatewayProcess.FreeTcpPort();
        await using var gateway = new GatewayProcess(data.Path, new Dictionary<string, string>
        {
            ["Security__Bootstrap__AdminPassword"] = "https-test-admin-password",
            // Configured endpoints replace --urls, so the plain one the test harness polls is named too.
            ["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:{port}",
            ["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{httpsPort}",
            ["Kestrel__Endpoints__Https__Certificate__Path"] = data.File("server.pem"),
            ["Kestrel__Endpoints__Https__Certificate__KeyPath"] = data.File("server.key"),
        });
        await gateway.StartAsync();

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(data.File("ca.pem")));
        using var trusting = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new()
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is not null && chain.Build(new X509Certificate2(certificate));
                },
            },
        });
        var live = await trusting.GetAsync($"https://127.0.0.1:{httpsPort}/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var login = await trusting.GetAsync($"https://127.0.0.1:{httpsPort}/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // A client that does not trust the CA refuses the connection.
        using var plain = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"https://127.0.0.1:{httpsPort}/health/live"));
    }
}
