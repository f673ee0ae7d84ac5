# Seeds the fuzzer with RouterOS scripting (issue 16): every construct once.
:global ports {22;80;443}
:local net 192.168.88.0/24
:global f do={ :return ($1 + [:len $name]) }
/interface list add name=LAN
:foreach p in=$ports do={ /ip firewall filter add chain=input protocol=tcp dst-port=$p comment="port $p" }
:for i from=1 to=5 step=2 do={ :do { /ip firewall address-list add list=bl address=("10.0.0." . $i) } on-error={} }
:local c 0
:while ($c < 3) do={ :set c ($c + 1) }
:do { :set c ($c - 1) } while=($c > 0)
:if ((10.0.0.1 & 255.255.255.0) in $net) do={ :put yes } else={ :put "no $[:len "x"] $(1 + 2)" }
:onerror e in={ :error "x" } do={ :log info $e }
:local a {k="v";n={1;2}}
:put ($a->"n"->1 . [$f 1 name=abc] . [:typeof [:toip "1.2.3.4"]] . [:pick "abc" 1 2] . [:find "abc" "c"])
/ip firewall filter set [find comment="port 22"] action=drop
:foreach i in=[/ip firewall address-list find list=bl] do={ /ip firewall address-list remove $i }
:put [/ip firewall filter print count-only where chain=input]
:local s [:parse ":global parsed true"]
$s
:local m {w={ip=1;gw=2};l={5;6}}
:local k "w"
:set ($m->$k->"ip") ($m->"l"->1 * -9223372036854775807)
:foreach key,val in=$m do={
  # a comment with "quotes" and {braces
  :put "$key=$val"
}
:local z {b=2;1;a=1}
:put ((1,2,3), [:toarray "a,b"], ($z->0))
