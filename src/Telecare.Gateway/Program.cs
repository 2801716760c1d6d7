using Telecare.Gateway.Pages;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok("live"));
app.MapTelecarePages();
app.Run();

public partial class Program;
