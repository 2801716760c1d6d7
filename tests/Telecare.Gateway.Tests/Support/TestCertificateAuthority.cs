using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telecare.Gateway.Tests.Support;

/// <summary>A throw-away CA and a localhost / 127.0.0.1 server certificate it signed, as PEM files for a TLS peer.</summary>
public static class TestCertificateAuthority
{
    /// <summary>Protects server.pfx and server.enc.key.</summary>
    public const string Password = "test-key-password-9f4c";

    /// <summary>
    /// Writes ca.pem, server.pem and server.key into <paramref name="folder"/> (also server.pfx: certificate, key and CA
    /// as PKCS#12, and server.enc.key: the key as encrypted PKCS#8, both under <see cref="Password"/>) and returns
    /// mosquitto's listener lines.
    /// </summary>
    public static IEnumerable<string> WriteBrokerFiles(string folder)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Telecare test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);

        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "server.enc.key"), serverKey.ExportEncryptedPkcs8PrivateKeyPem(Password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        using var withKey = server.CopyWithPrivateKey(serverKey);
        using var caPublic = X509CertificateLoader.LoadCertificate(ca.RawData);
        File.WriteAllBytes(Path.Combine(folder, "server.pfx"), new X509Certificate2Collection { caPublic, withKey }.Export(X509ContentType.Pkcs12, Password)!);
        return [$"cafile {folder}/ca.pem", $"certfile {folder}/server.pem", $"keyfile {folder}/server.key"];
    }
}
