[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Mstg.Proxy.Tests")]

namespace Mstg.Proxy;
