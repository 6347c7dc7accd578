using System.Runtime.CompilerServices;

// The limit-counting stream and the size budget are internal; their tests drive them directly.
[assembly: InternalsVisibleTo("Mstg.Bundles.Tests")]
