namespace Mstg.Proxy;
