#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/load-order); do insmod /lib/modules/$m.ko 2>/dev/null; done
sleep 3
echo "@@RESOURCES-BEGIN@@"
sh /20-maas-03-machine-resources
echo "@@RESOURCES-END@@"
echo "@@MODALIASES-BEGIN@@"
sh /maas-list-modaliases
echo "@@MODALIASES-END@@"
echo "@@LSHW-BEGIN@@"
/usr/bin/lshw -xml 2>/dev/null
echo "@@LSHW-END@@"
poweroff -f
