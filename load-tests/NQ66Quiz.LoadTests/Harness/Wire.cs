using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;
using Npgsql;

namespace NQ66Quiz.LoadTests.Harness;

/// <summary>
/// The network side of a run: every connection the harness opens goes through here, so bytes on the wire, connection
/// set-up times and reconnects are counted, and nothing but loopback is ever dialled.
/// </summary>
public sealed class Wire
{
    private readonly Lock _gate = new();
    private readonly LongHistogram _connect = new(60_000_000, 3);

    public long BytesOut;
    public long BytesIn;
    public long ConnectionsOpened;
    public long Reconnects;

    /// <summary>Refuses anything that is not a loopback address: load is never sent to another machine.</summary>
    public static Uri Loopback(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"{what}: '{url}' is not an absolute URL (e.g. http://127.0.0.1:5066)");
        }
        RequireLoopbackHost(uri.Host, what);
        return uri;
    }

    public static void RequireLoopbackHost(string host, string what)
    {
        var ok = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (!ok)
        {
            throw new ArgumentException($"{what}: '{host}' is not a loopback address; the harness only loads 127.0.0.1/::1/localhost.");
        }
    }

    public static string LoopbackPostgres(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var host in (b.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            RequireLoopbackHost(host.Split(':')[0], "PostgreSQL");
        }
        return connectionString;
    }

    public static string LoopbackRedis(string configuration)
    {
        foreach (var part in configuration.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => !p.Contains('=', StringComparison.Ordinal)))
        {
            RequireLoopbackHost(part.Split(':')[0], "Redis");
        }
        return configuration;
    }

    public void RecordConnect(TimeSpan t)
    {
        Interlocked.Increment(ref ConnectionsOpened);
        lock (_gate)
        {
            _connect.RecordValue(Math.Max(1, (long)t.TotalMicroseconds));
        }
    }

    public (long Count, double P50, double P99, double Max) ConnectTimes()
    {
        lock (_gate)
        {
            return _connect.TotalCount == 0 ? (0, 0, 0, 0) : (_connect.TotalCount, _connect.GetValueAtPercentile(50), _connect.GetValueAtPercentile(99), _connect.GetMaxValue());
        }
    }

    /// <summary>An HTTP client whose connections are counted; cookies are sent by hand per participant, so none are kept.</summary>
    public HttpClient HttpClient(Uri baseAddress, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, ct) =>
            {
                RequireLoopbackHost(context.DnsEndPoint.Host, "HTTP");
                var started = Stopwatch.GetTimestamp();
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                RecordConnect(Stopwatch.GetElapsedTime(started));
                return new CountingStream(new NetworkStream(socket, ownsSocket: true), this);
            },
        };
        // Steps have their own timeouts (10 s, minutes for the one-shot ones); the client's own must not cut them short.
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(20) };
    }

    private sealed class CountingStream(Stream inner, Wire wire) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Interlocked.Add(ref wire.BytesIn, n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Interlocked.Add(ref wire.BytesIn, n);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Interlocked.Add(ref wire.BytesOut, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Interlocked.Add(ref wire.BytesOut, buffer.Length);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
