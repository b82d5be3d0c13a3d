namespace Skia.Pool.FakeServe;

/// <summary>Holds the one current upload, as skiaserve holds one picture; requests read and replace it concurrently.</summary>
internal sealed class UploadStore
{
    private readonly Lock _gate = new();
    private Upload? _current;

    public Upload? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Replace(Upload upload)
    {
        lock (_gate)
        {
            _current = upload;
        }
    }
}
