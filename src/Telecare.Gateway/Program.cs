using Telecare.Gateway.Api;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Demo;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Ingress.Serial;
using Telecare.Gateway.Pages;
using Telecare.Gateway.Security;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Store;
using Telecare.Gateway.Telemetry;

var builder = WebApplication.CreateBuilder(DemoExtensions.WithoutFlag(args));
builder.AddTelecareHosting();
builder.AddTelecareStore();
builder.AddSignalSink();
builder.AddTelecareHealth();
builder.AddTelecareTelemetry();
builder.AddSerialIngress();
builder.AddMqttIngress();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StoreUnavailableHandler>();
builder.AddTelecareSecurity();
builder.AddApi();
builder.AddCalls();
builder.AddConsoles();
builder.AddDemo(args);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseTelecareSecurity();
app.MapTelecareHealth();
app.MapApi();
app.MapConsoles();
app.MapTelecarePages();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
