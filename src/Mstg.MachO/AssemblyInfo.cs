[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Mstg.MachO.Tests")]
