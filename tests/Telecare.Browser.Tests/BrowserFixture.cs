using Microsoft.Playwright;
using Telecare.FirmwareSim.Serial;

namespace Telecare.Browser.Tests;

/// <summary>
/// One real gateway (demo data, short answer targets, an alarm receiver on a kernel pty pair) and one Chromium for the
/// whole collection; each test opens its own browser contexts, so cookies and pages never leak between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public GatewayProcess Gateway { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The embedded MQTT broker's port (devices publish alarms here).</summary>
    public int MqttPort { get; private set; }

    /// <summary>The pty pair of the serial receiver: the gateway reads <c>PathB</c>, the receiver emulator writes <c>PathA</c>.</summary>
    public SocatPtyPair Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        MqttPort = GatewayProcess.FreeTcpPort();
        Receiver = await SocatPtyPair.StartAsync();
        Gateway = await GatewayProcess.StartAsync(GatewaySettings.Environment(MqttPort, Receiver.PathB), GatewaySettings.Arguments);
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies) with a phone or desk sized window.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1440, Height = 1000 },
            IsMobile = phone,
            HasTouch = phone,
            Permissions = [],
        });
        context.SetDefaultTimeout(20_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
