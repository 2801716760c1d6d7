using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Section "Mqtt:Tls": a TLS listener for the embedded broker, beside the plain one unless <see cref="RequireTls"/>.</summary>
public sealed class MqttTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>TCP port of the TLS listener; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>PEM (the server certificate first, then any intermediates; the key here or in <see cref="KeyFile"/>) or PKCS#12 (.pfx/.p12).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key, when it is not in <see cref="CertificateFile"/>; PKCS#8, PKCS#1 or EC, optionally encrypted (PKCS#8).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Of the PKCS#12 file or the encrypted PEM key; never logged. Set it through <c>Mqtt__Tls__Password</c>.</summary>
    public string? Password { get; set; }

    /// <summary>No plain listener: devices can only connect over TLS.</summary>
    public bool RequireTls { get; set; }
}
