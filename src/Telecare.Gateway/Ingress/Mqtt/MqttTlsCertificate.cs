using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// The embedded broker's server certificate with its key and intermediates, read from the files in "Mqtt:Tls".
/// Problems surface as <see cref="MqttTlsFileException"/> naming the setting; no message carries key material.
/// </summary>
public sealed class MqttTlsCertificate : IDisposable
{
    private MqttTlsCertificate(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        Certificate = certificate;
        Chain = chain;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediates sent with the certificate (the rest of the PEM file, or the other certificates in the PKCS#12).</summary>
    public X509Certificate2Collection Chain { get; }

    public static MqttTlsCertificate Load(MqttTlsOptions tls)
    {
        var certificateFile = tls.CertificateFile;
        if (string.IsNullOrWhiteSpace(certificateFile))
        {
            throw new MqttTlsFileException(nameof(MqttTlsOptions.CertificateFile), "is required when Tls:Enabled is true (a PEM or PKCS#12 file)");
        }

        var bytes = Read(certificateFile, nameof(MqttTlsOptions.CertificateFile));
        return LooksLikePem(bytes) ? LoadPem(tls, certificateFile, Encoding.ASCII.GetString(bytes)) : LoadPkcs12(tls, certificateFile, bytes);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Chain)
        {
            intermediate.Dispose();
        }
    }

    private static MqttTlsCertificate LoadPem(MqttTlsOptions tls, string certificateFile, string certificatePem)
    {
        var keyFile = string.IsNullOrWhiteSpace(tls.KeyFile) ? null : tls.KeyFile;
        var keyPem = keyFile is null ? certificatePem : Encoding.ASCII.GetString(Read(keyFile, nameof(MqttTlsOptions.KeyFile)));
        var keySetting = keyFile is null ? nameof(MqttTlsOptions.CertificateFile) : nameof(MqttTlsOptions.KeyFile);
        var where = keyFile ?? certificateFile;
        var encrypted = keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (!encrypted && !keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new MqttTlsFileException(keySetting, $"'{where}' holds no PEM private key; set Tls:KeyFile to the key's file");
        }

        if (encrypted && string.IsNullOrEmpty(tls.Password))
        {
            throw new MqttTlsFileException(nameof(MqttTlsOptions.Password), $"the key in '{where}' is encrypted: set Tls:Password");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = encrypted
                ? X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, tls.Password)
                : X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new MqttTlsFileException(keySetting, $"the certificate in '{certificateFile}' and the key in '{where}' cannot be used together: {e.Message}");
        }

        var chain = new X509Certificate2Collection();
        var all = new X509Certificate2Collection();
        all.ImportFromPem(certificatePem);
        foreach (var other in all)
        {
            if (other.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                other.Dispose();
            }
            else
            {
                chain.Add(other);
            }
        }

        return new MqttTlsCertificate(certificate, chain);
    }

    private static MqttTlsCertificate LoadPkcs12(MqttTlsOptions tls, string certificateFile, byte[] bytes)
    {
        if (!string.IsNullOrWhiteSpace(tls.KeyFile))
        {
            throw new MqttTlsFileException(nameof(MqttTlsOptions.KeyFile), $"is for PEM certificates; '{certificateFile}' is PKCS#12, which carries its own key");
        }

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, tls.Password);
        }
        catch (CryptographicException e)
        {
            throw new MqttTlsFileException(nameof(MqttTlsOptions.CertificateFile), $"'{certificateFile}' is neither PEM nor a PKCS#12 file readable with Tls:Password: {e.Message}");
        }

        // The server's own certificate is the one with a key that is not a CA; the others go along as the chain.
        X509Certificate2? leaf = null;
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (leaf is null && certificate.HasPrivateKey
                && certificate.Extensions.OfType<X509BasicConstraintsExtension>().All(c => !c.CertificateAuthority))
            {
                leaf = certificate;
            }
            else
            {
                chain.Add(certificate);
            }
        }

        if (leaf is null)
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }

            throw new MqttTlsFileException(nameof(MqttTlsOptions.CertificateFile), $"'{certificateFile}' holds no certificate with a private key");
        }

        return new MqttTlsCertificate(leaf, chain);
    }

    private static byte[] Read(string path, string setting)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MqttTlsFileException(setting, e is FileNotFoundException or DirectoryNotFoundException
                ? $"file '{path}' does not exist"
                : $"file '{path}' cannot be read: {e.Message}");
        }
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> bytes) => bytes.IndexOf("-----BEGIN "u8) >= 0;
}

/// <summary>A TLS file setting that cannot be used; <see cref="Setting"/> is the key under "Mqtt:Tls".</summary>
public sealed class MqttTlsFileException(string setting, string problem) : Exception($"Mqtt:Tls:{setting}: {problem}")
{
    public string Setting { get; } = setting;

    public string Problem { get; } = problem;
}
