<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Overrides for Qt's own Spanish (qtbase_es): Peruvian/Latin-American words («archivo», never «fichero»)
     and the app's voice (tú). Loaded after qtbase_es, so these win. Rebuild the .qm with:
     pyside6-lrelease migo_desktop/resources/i18n/qtbase_migo_es.ts -qm migo_desktop/resources/i18n/qtbase_migo_es.qm -->
<TS version="2.1" language="es_PE">
<context>
    <name>QFileDialog</name>
    <message><source>%1
Directory not found.
Please verify the correct directory name was given.</source><translation>%1
No se encontró la carpeta.
Revisa que el nombre de la carpeta sea correcto.</translation></message>
    <message><source>%1
File not found.
Please verify the correct file name was given.</source><translation>%1
No se encontró el archivo.
Revisa que el nombre del archivo sea correcto.</translation></message>
    <message><source>%1 already exists.
Do you want to replace it?</source><translation>El archivo %1 ya existe.
¿Quieres reemplazarlo?</translation></message>
    <message><source>&apos;%1&apos; is write protected.
Do you want to delete it anyway?</source><translation>«%1» está protegido contra escritura.
¿Quieres borrarlo de todas formas?</translation></message>
    <message><source>All Files (*)</source><translation>Todos los archivos (*)</translation></message>
    <message><source>Are you sure you want to delete &apos;%1&apos;?</source><translation>¿Seguro que quieres borrar «%1»?</translation></message>
    <message><source>File &amp;name:</source><translation>&amp;Nombre del archivo:</translation></message>
    <message><source>Files of type:</source><translation>Archivos de tipo:</translation></message>
    <message><source>Look in:</source><translation>Buscar en:</translation></message>
    <message><source>Directory:</source><translation>Carpeta:</translation></message>
    <message><source>Parent Directory</source><translation>Carpeta superior</translation></message>
    <message><source>Go to the parent directory</source><translation>Ir a la carpeta superior</translation></message>
    <message><source>Find Directory</source><translation>Buscar carpeta</translation></message>
    <message><source>Directories</source><translation>Carpetas</translation></message>
    <message><source>File Folder</source><translation>Carpeta de archivos</translation></message>
    <message><source>Forward</source><translation>Adelante</translation></message>
    <message><source>Go forward</source><translation>Ir adelante</translation></message>
    <message><source>Change to list view mode</source><translation>Ver como lista</translation></message>
    <message><source>Change to detail view mode</source><translation>Ver con detalles</translation></message>
    <message><source>Show &amp;hidden files</source><translation>Mostrar los archivos &amp;ocultos</translation></message>
    <message><source>&amp;Rename</source><translation>Cambiar de &amp;nombre</translation></message>
    <message><source>My Computer</source><translation>Mi computadora</translation></message>
    <message><source>&amp;Reload</source><translation>&amp;Volver a cargar</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Invalid filename</source><translation>Nombre de archivo no válido</translation></message>
    <message><source>My Computer</source><translation>Mi computadora</translation></message>
    <message><source>Computer</source><translation>Computadora</translation></message>
    <message><source>Date Modified</source><translation>Fecha de modificación</translation></message>
    <message><source>Kind</source><translation>Tipo</translation></message>
</context>
<context>
    <name>QFile</name>
    <message><source>Destination file is the same file.</source><translation>El archivo de destino es el mismo archivo.</translation></message>
</context>
<context>
    <name>QIODevice</name>
    <message><source>No such file or directory</source><translation>No existe ese archivo o carpeta</translation></message>
    <message><source>Too many open files</source><translation>Hay demasiados archivos abiertos</translation></message>
</context>
<context>
    <name>QInputDialog</name>
    <message><source>Enter a value:</source><translation>Escribe un valor:</translation></message>
</context>
<context>
    <name>QColorDialog</name>
    <message><source>Select Color</source><translation>Elige un color</translation></message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message><source>Reset</source><translation>Restablecer</translation></message>
</context>
<context>
    <name>QCalendarWidget</name>
    <message><source>Today</source><translation>Hoy</translation></message>
</context>
</TS>
