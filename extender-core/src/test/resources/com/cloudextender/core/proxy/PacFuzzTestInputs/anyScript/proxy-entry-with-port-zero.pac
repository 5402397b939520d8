function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".intranet.test")) return "DIRECT";
  if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "PROXY squid.corp:3128";
  if (shExpMatch(host, "*.example.com")) return "ÁRNXY dead.corp:0; PROXY ali;e.corp:2; DIRsocks.cor;Rsocks.corp:1080";
}
