using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Tiered.Report.Tests;

/// <summary>
/// Headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol (JSON over
/// HttpClient, no client library). Chromium runs as root in CI containers, hence
/// --no-sandbox. When the browser is not installed the test fails saying what to install:
/// scripts/test installs it, so a missing browser is a broken machine, not a skip.
/// </summary>
internal sealed class ChromeDriver : IDisposable
{
    private const string ElementKey = "element-6066-11e4-a52e-4f735466cecf";
    private readonly Process driver;
    private readonly HttpClient http;
    private readonly string? session;

    public ChromeDriver()
    {
        string driverPath = Find("chromedriver")
            ?? throw new InvalidOperationException(Missing("chromedriver"));
        string browser = Find("chromium") ?? Find("chromium-browser") ?? Find("google-chrome")
            ?? throw new InvalidOperationException(Missing("chromium"));
        int port = FreePort();
        var psi = new ProcessStartInfo(driverPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add($"--port={port}");
        driver = Process.Start(psi)!;
        driver.OutputDataReceived += (_, _) => { };
        driver.ErrorDataReceived += (_, _) => { };
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            WaitUntilReady();
            var capabilities = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["browserName"] = "chrome",
                        ["goog:chromeOptions"] = new JsonObject
                        {
                            ["binary"] = browser,
                            ["args"] = new JsonArray("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"),
                        },
                    },
                },
            };
            session = Send(HttpMethod.Post, "session", capabilities)?["sessionId"]?.GetValue<string>()
                ?? throw new InvalidOperationException("chromedriver created no session");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Navigate(string url) => Send(HttpMethod.Post, $"session/{session}/url", new JsonObject { ["url"] = url });

    /// <summary>Runs <paramref name="script"/> in the page; returns its result.</summary>
    public JsonNode? Execute(string script) =>
        Send(HttpMethod.Post, $"session/{session}/execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() });

    /// <summary>A real click (mouse events from the browser) on the first element matching the selector.</summary>
    public void Click(string cssSelector)
    {
        string id = Send(HttpMethod.Post, $"session/{session}/element",
            new JsonObject { ["using"] = "css selector", ["value"] = cssSelector })?[ElementKey]?.GetValue<string>()
            ?? throw new InvalidOperationException($"no element matches {cssSelector}");
        Send(HttpMethod.Post, $"session/{session}/element/{id}/click", new JsonObject());
    }

    private JsonNode? Send(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        // With a length, not chunked: chromedriver drops chunked requests.
        if (body != null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        JsonNode? reply = JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"WebDriver {method} {path} failed ({(int)response.StatusCode}): {reply?["value"]?["message"] ?? text}");
        return reply?["value"];
    }

    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                JsonNode? status = JsonNode.Parse(http.GetStringAsync("status").GetAwaiter().GetResult());
                if (status?["value"]?["ready"]?.GetValue<bool>() == true) return;
            }
            catch (HttpRequestException) { }
            if (driver.HasExited) throw new InvalidOperationException($"chromedriver exited at start (code {driver.ExitCode})");
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new InvalidOperationException("chromedriver did not become ready in 30 s");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (session != null)
        {
            try { Send(HttpMethod.Delete, $"session/{session}", null); }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException) { }
        }
        http.Dispose();
        if (!driver.HasExited) driver.Kill(entireProcessTree: true);
        driver.WaitForExit(10_000);
        driver.Dispose();
    }

    private static string Missing(string what) =>
        $"{what} is needed for the HTML report's browser test: install the Debian packages chromium and chromium-driver " +
        "(apt-get install -y chromium chromium-driver; scripts/test does this when it may)";

    private static string? Find(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
