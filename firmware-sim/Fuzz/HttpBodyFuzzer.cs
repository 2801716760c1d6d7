using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// Mutated JSON bodies (<see cref="JsonBodyMutator"/>) for every endpoint that takes one, sent with an admin API key.
/// Every answer must be a deliberate one (<see cref="HttpFuzzTargets.Deliberate"/>); a 500, any other status or no
/// answer within 30 s is a failure.
/// </summary>
public sealed class HttpBodyFuzzer(Uri baseAddress, string adminApiKey, Random random)
{
    public FuzzTally Tally { get; } = new("http bodies");

    public async Task RunAsync(int parallel, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", adminApiKey);
        var residents = await http.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/residents", UriKind.Relative), stop).ConfigureAwait(false) ?? [];
        var seeds = HttpFuzzTargets.Seeds(residents.Length > 0 ? residents[0].GetProperty("id").GetInt64() : 1);
        var loops = Enumerable.Range(0, parallel).Select(_ => new Random(random.Next())).ToList();
        await Task.WhenAll(loops.Select(r => Task.Run(() => LoopAsync(http, seeds, r, stop), CancellationToken.None))).ConfigureAwait(false);
    }

    private async Task LoopAsync(HttpClient http, IReadOnlyList<(string Method, string Path, string Body)> seeds, Random r, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (method, path, seed) = seeds[r.Next(seeds.Count)];
            var body = JsonBodyMutator.Mutate(seed, r);
            Tally.Begin(body);
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                using var response = await http.SendAsync(request, stop).ConfigureAwait(false);
                if (!HttpFuzzTargets.Deliberate.Contains(response.StatusCode))
                {
                    var answer = await response.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
                    Tally.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"{method} {path} answered {(int)response.StatusCode} {Shorten(answer)} to: {Shorten(Encoding.UTF8.GetString(body))}"));
                }
                else if ((int)response.StatusCode >= 400)
                {
                    Tally.CountRefused();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Tally.Fail($"{method} {path}: no answer ({e.GetType().Name}: {e.Message}) to: {Shorten(Encoding.UTF8.GetString(body))}");
            }
            finally
            {
                Tally.End();
            }
        }
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
